# ruff: noqa: E501 (the narrative: Chinese lines count double in width, wrapped by eye)
"""Writes source/ch06_ai_painter/gaugan.ipynb (the master notebook of GauGAN, SPADE).

Usage: python make_gaugan_nb.py source/ch06_ai_painter/gaugan.ipynb
Each narrative cell is written here in English and in Chinese, side by side.
"""

import sys

from igcourse.authoring import MasterNotebook

CHAPTER = "ch06_ai_painter"
book = MasterNotebook(CHAPTER)
md, code, solution, check = book.md, book.code, book.solution, book.check


md(
    r"""
# Chapter 6: The AI painter (GauGAN)

Paint a rough map of a scene, sky here, a tree there, a road along the bottom, and get back a
picture that looks photographed. That is **semantic image synthesis**: the input is a
**label map**, one class per pixel, and the output an image whose regions show those classes.
Park, Liu, Wang and Zhu (*Semantic Image Synthesis with Spatially-Adaptive Normalization*, CVPR
2019) built GauGAN, NVIDIA's painting demo, on one idea: do not feed the label map once at the
generator's input, where normalisation layers wash it out, but let it set the scale and shift of
**every** normalisation of the generator, pixel by pixel. That normalisation is **SPADE**
(spatially-adaptive denormalisation).

Around SPADE, GauGAN gathers pieces you have met or will meet here:

- a generator of **SPADE residual blocks** that starts from a random vector $z$ and grows it to
  the image's size, reading the label map in every block;
- a **style encoder** in the manner of a VAE (chapter 2): it turns a real image into a mean and a
  log-variance, so that $z$ can carry that image's style, and a **KL divergence** keeps the codes
  close to $\mathcal{N}(0, I)$, so that at test time $z$ can simply be drawn from it;
- a **multi-scale PatchGAN** discriminator (from pix2pixHD, Wang et al., CVPR 2018): one
  PatchGAN (chapter 4) on the image and the label map, another on half-size copies;
- the **hinge loss** for the adversarial game, a **feature matching loss** on the
  discriminator's intermediate features, and a **perceptual loss** on VGG19's features.

Here the "photographs" are Fashion-MNIST items on their black background and each label map is
the item's silhouette, coloured by the item's class. The real GauGAN paints landscapes at
$256 \times 256$ on GPUs for days; on a laptop's CPU, $32 \times 32$ clothes are what fits, and
every piece works the same.

| part | what you write | points |
|---|---|---|
| `spade` | `SPADE(keras.layers.Layer)` | 3 |
| `spade_block` | `SPADEResBlock(keras.layers.Layer)` | 3 |
| `gaugan_generator` | `build_gaugan_generator(...)` | 2 |
| `style_encoder` | `build_style_encoder(...)`, `sample_style(mean, log_var, seed)` | 2 |
| `multiscale_discriminator` | `build_patch_discriminator(...)`, `build_multiscale_discriminator(...)` | 3 |
| `gaugan_losses` | `discriminator_hinge_loss`, `generator_hinge_loss`, `feature_matching_loss`, `kl_divergence`, `perceptual_loss` | 3 |
| `gaugan_step` | `make_gaugan_step(...)` | 3 |
| `trained_gaugan` | the trained generator, handed in (measured by the grader) | 2 |
""",
    r"""
# 第 6 章：AI 画家（GauGAN）

画一张场景的草图：这里是天空，那里是一棵树，底部是一条路，然后得到一张看起来像拍摄出来的图像。这就是
**语义图像合成**：输入是一张**标签图**，每个像素一个类别；输出是一张图像，其中各个区域呈现相应的类别。
Park、Liu、Wang 和 Zhu（*Semantic Image Synthesis with Spatially-Adaptive Normalization*，CVPR 2019）
构建的 GauGAN（NVIDIA 的绘画演示）建立在一个想法之上：不要只在生成器的输入处送入一次标签图（归一化层会把
它冲淡），而要让它逐像素地决定生成器中**每一个**归一化的缩放和平移。这种归一化就是 **SPADE**
（空间自适应反归一化）。

围绕 SPADE，GauGAN 汇集了一些你已经见过或将在这里见到的部件：

- 一个由 **SPADE 残差块**组成的生成器：从随机向量 $z$ 出发，把它逐步放大到图像的尺寸，每个块都读取
  标签图；
- 一个 VAE 式（第 2 章）的**风格编码器**：把一张真实图像变成均值和对数方差，使 $z$ 能携带这张图像的
  风格；**KL 散度**让编码接近 $\mathcal{N}(0, I)$，这样测试时直接从它抽取 $z$ 即可；
- 一个**多尺度 PatchGAN** 判别器（来自 pix2pixHD，Wang 等，CVPR 2018）：一个 PatchGAN（第 4 章）
  看图像和标签图，另一个看缩小一半的副本；
- 对抗博弈用的**铰链损失**，判别器中间特征上的**特征匹配损失**，以及 VGG19 特征上的**感知损失**。

这里的"照片"是黑色背景上的 Fashion-MNIST 物品，每张标签图是物品的轮廓，按物品的类别着色。真正的
GauGAN 在 GPU 上用几天时间画 $256 \times 256$ 的风景；在笔记本电脑的 CPU 上，能放得下的是
$32 \times 32$ 的衣物，而每个部件的工作方式完全相同。

| 部分 | 你要编写的内容 | 分值 |
|---|---|---|
| `spade` | `SPADE(keras.layers.Layer)` | 3 |
| `spade_block` | `SPADEResBlock(keras.layers.Layer)` | 3 |
| `gaugan_generator` | `build_gaugan_generator(...)` | 2 |
| `style_encoder` | `build_style_encoder(...)`、`sample_style(mean, log_var, seed)` | 2 |
| `multiscale_discriminator` | `build_patch_discriminator(...)`、`build_multiscale_discriminator(...)` | 3 |
| `gaugan_losses` | `discriminator_hinge_loss`、`generator_hinge_loss`、`feature_matching_loss`、`kl_divergence`、`perceptual_loss` | 3 |
| `gaugan_step` | `make_gaugan_step(...)` | 3 |
| `trained_gaugan` | 训练好的生成器，随笔记本提交（由评分程序衡量） | 2 |
""",
)

code(r"""
import json
import time

import matplotlib.pyplot as plt

from igcourse.checks import check_part
from igcourse.data.derived.segmentation import LABEL_PALETTE, build_label_maps
from igcourse.data.fashion_mnist import FASHION_MNIST_CLASSES, class_index
from igcourse.data.label_maps import one_hot
from igcourse.data.vgg19 import vgg19_network, vgg19_weights_file
from igcourse.evaluation import class_consistency, load_evaluator
from igcourse.notebook import image_grid, progress, quick_mode

QUICK = quick_mode()
""")

code(
    r"""
# The layers, networks, losses and training step below use these libraries.
import math

import keras
import numpy as np
import tensorflow as tf

NUM_LABELS = 11  # label 0 is the background, label 1 + k an item of Fashion-MNIST's class k
IMAGE_SIZE = 32  # images (B, 32, 32, 1) in [-1, 1]; label maps (B, 32, 32, NUM_LABELS) one-hot
""",
    export=True,
)

md(
    r"""
## The data: items and their label maps

`build_label_maps(split, size=32)` cuts every Fashion-MNIST item out of its background: the item
is every pixel brighter than 16 (of 255) plus the dark holes it encloses, and its pixels get the
label $1 + \text{class}$; the background gets 0. Eleven labels in all (`NUM_LABELS`). The images
are resized to $32 \times 32$ first, so that map and image line up pixel for pixel; the networks
read images in $[-1, 1]$ with a channel axis, $(B, 32, 32, 1)$, and label maps **one-hot**,
$(B, 32, 32, 11)$ (`one_hot(labels, NUM_LABELS)`).

A label map says two things here: **where** the item is (its silhouette) and **what** it is (its
colour, the class). The picture below shows items above their label maps, each class in its own
colour (`LABEL_PALETTE`, the background black). Quick mode trains on 10,000 items, the full run
on all 60,000; the test split's 10,000 maps are never trained on.
""",
    r"""
## 数据：物品和它们的标签图

`build_label_maps(split, size=32)` 把每个 Fashion-MNIST 物品从背景中剪出来：物品是所有亮度高于 16
（满分 255）的像素，加上它包围的暗色空洞；物品的像素得到标签 $1 + \text{类别}$，背景得到 0，一共十一个
标签（`NUM_LABELS`）。图像先缩放到 $32 \times 32$，这样标签图和图像逐像素对齐；网络读取的图像在
$[-1, 1]$ 中并带通道轴，即 $(B, 32, 32, 1)$，标签图则是**独热**的 $(B, 32, 32, 11)$
（`one_hot(labels, NUM_LABELS)`）。

在这里，一张标签图说明两件事：物品在**哪里**（它的轮廓），以及它**是什么**（它的颜色，即类别）。下图
把物品画在它们的标签图上方，每个类别一种颜色（`LABEL_PALETTE`，背景为黑色）。快速模式在 10,000 个物品
上训练，完整运行用全部 60,000 个；测试集的 10,000 张标签图从不参与训练。
""",
)

code(r"""
TRAIN_ITEMS = 10_000 if QUICK else None  # None: all 60,000
train = build_label_maps("train", size=IMAGE_SIZE, limit=TRAIN_ITEMS)
test = build_label_maps("test", size=IMAGE_SIZE, seed=1)


def to_model_range(images):
    # uint8 (N, 32, 32) -> float32 (N, 32, 32, 1) in [-1, 1]
    return (images.astype(np.float32) / 127.5 - 1.0)[..., None]


def to_rgb(images):
    # (N, 32, 32, 1) in [-1, 1] -> (N, 32, 32, 3) in [0, 1], to sit beside coloured maps
    return np.repeat(np.clip((images + 1.0) / 2.0, 0.0, 1.0), 3, axis=-1)


def coloured(labels):
    # class indices (N, 32, 32) -> RGB (N, 32, 32, 3) in [0, 1]
    return LABEL_PALETTE[labels] / 255.0


train_images = to_model_range(train.images)
test_images = to_model_range(test.images)
print(f"{len(train_images):,} training items, {len(test_images):,} test items")
print("label 0: background;", ", ".join(f"{k + 1}: {name}" for k, name in
                                         enumerate(FASHION_MNIST_CLASSES)))
plt.figure(figsize=(12, 3.5))
plt.imshow(image_grid(np.concatenate([to_rgb(train_images[:10]), coloured(train.labels[:10])]),
                      columns=10))
plt.title("items (top) and their label maps (bottom), one colour per class")
plt.axis("off")
plt.show()
""")

md(
    r"""
## Why a label map at the input is not enough

Give pix2pix's generator (chapter 4) the label map as its input image. Its layers alternate
convolutions and normalisations, and a normalisation subtracts each channel's mean and divides by
its standard deviation. Over a region where the label map does not change, a convolution gives
the same value at every pixel, and normalising a constant gives zero. Take the extreme case of a
label map that is a single class everywhere: whichever class it is, the output of the first
convolution followed by an instance normalisation is all zeros, and the generator can no longer
tell a field of grass from a field of snow. With smaller regions the information is not gone at
once, but each normalisation wears it away.

The cell below shows it with a random $3 \times 3$ convolution on one-hot label maps: the two
uniform maps come out identical (all zeros), while a map with two regions keeps something, only
near the boundary.
""",
    r"""
## 为什么只在输入处给标签图是不够的

把标签图作为输入图像交给 pix2pix 的生成器（第 4 章）。它的层在卷积和归一化之间交替，而归一化会减去每个
通道的均值再除以它的标准差。在标签图不变的区域上，卷积在每个像素给出相同的值，把一个常数归一化得到的是
零。看一个极端的例子：标签图处处都是同一个类别，不管是哪个类别，第一个卷积之后接实例归一化的输出都全是零，
生成器再也分不清一片草地和一片雪地。区域较小时，信息不会一下子消失，但每一次归一化都会把它磨掉一些。

下面的单元格用一个随机的 $3 \times 3$ 卷积作用于独热标签图来演示：两张均匀的标签图得到完全相同的输出
（全为零），而有两个区域的标签图还保留了一些东西，只在边界附近。
""",
)

code(r"""
keras.utils.set_random_seed(6)
demo_conv = keras.layers.Conv2D(8, 3)  # no padding: the edges of the map do not count
demo_norm = keras.layers.GroupNormalization(groups=-1)  # instance normalisation
uniform_a = np.full((1, 8, 8), 1 + class_index("Sandal"))
uniform_b = np.full((1, 8, 8), 1 + class_index("Bag"))
two_regions = uniform_a.copy()
two_regions[:, :, 4:] = 0
for name, labels in (("all Sandal", uniform_a), ("all Bag", uniform_b),
                     ("half Sandal, half background", two_regions)):
    out = np.asarray(demo_norm(demo_conv(one_hot(labels, NUM_LABELS))))
    print(f"{name:30s} after conv + instance norm: max |value| {np.abs(out).max():.3f}")
""")

md(
    r"""
## Part 1: SPADE, spatially-adaptive normalisation

SPADE keeps the normalisation but gives the label map the last word. For activations $x$ of
shape $(B, H, W, C)$ and a label map $m$:

1. **normalise** every channel with the statistics of the batch, taken over the batch, the height
   and the width (batch normalisation without its own scale and offset):
   $$\hat{x}_{bhwc} = \frac{x_{bhwc} - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}}, \qquad
   \mu_c = \operatorname{mean}_{b,h,w}\, x_{bhwc}, \quad
   \sigma_c^2 = \operatorname{mean}_{b,h,w}\, (x_{bhwc} - \mu_c)^2;$$
   SPADE uses the batch's own statistics in training and at inference alike (no moving averages);
2. **resize** the label map to $H \times W$ with nearest-neighbour interpolation
   (`keras.ops.image.resize(label_map, (H, W), interpolation="nearest")`), so that a pixel keeps a
   single class rather than a blend;
3. run a small convolutional network on it: a shared `Conv2D(hidden, 3, padding="same",
   activation="relu")`, then two `Conv2D(C, 3, padding="same")` side by side that give
   $\gamma$ and $\beta$, each $(B, H, W, C)$: **a scale and a shift for every pixel and every
   channel**;
4. **denormalise**:
   $$\operatorname{SPADE}(x, m) = \hat{x} \odot (1 + \gamma) + \beta.$$

Writing the scale as $1 + \gamma$ centres it at one: while the convolutions' weights are near zero
(at initialisation), SPADE is the plain normalisation and the network starts from a sensible
place. Within a region of one class, $\gamma$ and $\beta$ are constant (away from its edges), so
the class now **sets** the activations there instead of being subtracted away.

Write `SPADE` as a Keras layer. `__init__` and `get_config` are given. In `build(self, x_shape,
label_map_shape)` (Keras calls it on the first call with the shapes of both inputs) create the
three convolutions as `self.shared`, `self.gamma_conv` and `self.beta_conv`, taking $C$ from
`x_shape[-1]`; in `call(self, x, label_map)` compute the four steps. The label map may be any size
(a generator passes the full-size map to every block): the layer resizes it to $x$'s.
""",
    r"""
## 第 1 部分：SPADE，空间自适应归一化

SPADE 保留归一化，但让标签图说了算。对形状为 $(B, H, W, C)$ 的激活 $x$ 和标签图 $m$：

1. 用批次的统计量**归一化**每个通道，统计量在批次、高和宽上计算（没有自带缩放和偏移的批归一化）：
   $$\hat{x}_{bhwc} = \frac{x_{bhwc} - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}}, \qquad
   \mu_c = \operatorname{mean}_{b,h,w}\, x_{bhwc}, \quad
   \sigma_c^2 = \operatorname{mean}_{b,h,w}\, (x_{bhwc} - \mu_c)^2;$$
   SPADE 在训练和推理时都使用批次自身的统计量（没有滑动平均）；
2. 用最近邻插值把标签图**缩放**到 $H \times W$
   （`keras.ops.image.resize(label_map, (H, W), interpolation="nearest")`），这样每个像素仍只有
   一个类别，而不是几个类别的混合；
3. 在它上面运行一个小卷积网络：一个共享的 `Conv2D(hidden, 3, padding="same", activation="relu")`，
   然后是并列的两个 `Conv2D(C, 3, padding="same")`，分别给出 $\gamma$ 和 $\beta$，形状都是
   $(B, H, W, C)$：**每个像素、每个通道各有一个缩放和一个平移**；
4. **反归一化**：
   $$\operatorname{SPADE}(x, m) = \hat{x} \odot (1 + \gamma) + \beta.$$

把缩放写成 $1 + \gamma$ 让它以 1 为中心：当卷积的权重接近零时（初始化时），SPADE 就是普通的归一化，
网络从一个合理的起点出发。在同一类别的区域内（远离边缘处），$\gamma$ 和 $\beta$ 是常数，于是类别现在
**决定**了那里的激活，而不是被减掉。

把 `SPADE` 写成一个 Keras 层。`__init__` 和 `get_config` 已经给出。在 `build(self, x_shape,
label_map_shape)` 中（Keras 在第一次调用时用两个输入的形状调用它）创建三个卷积，分别为
`self.shared`、`self.gamma_conv` 和 `self.beta_conv`，$C$ 取自 `x_shape[-1]`；在
`call(self, x, label_map)` 中计算这四步。标签图可以是任何尺寸（生成器把完整尺寸的标签图交给每个块）：
由层自己把它缩放到 $x$ 的尺寸。
""",
)

solution(
    "spade",
    r'''
class SPADE(keras.layers.Layer):
    """Spatially-adaptive normalisation: call(x, label_map) -> x_hat * (1 + gamma) + beta.

    x (B, H, W, C); label_map (B, H', W', L), any size, resized to (H, W) by nearest neighbour.
    x_hat: x normalised per channel with the mean and variance over batch, height and width
    (epsilon inside the square root), no learned scale or offset. gamma and beta (B, H, W, C):
    self.gamma_conv and self.beta_conv (Conv2D(C, 3, same)) applied to self.shared (Conv2D(hidden,
    3, same, relu)) of the resized label map."""

    def __init__(self, hidden=64, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.epsilon = epsilon

    def build(self, x_shape, label_map_shape):
        """Create self.shared, self.gamma_conv and self.beta_conv; C is x_shape[-1]."""
        ### BEGIN SOLUTION
        channels = x_shape[-1]
        self.shared = keras.layers.Conv2D(self.hidden, 3, padding="same", activation="relu")
        self.gamma_conv = keras.layers.Conv2D(channels, 3, padding="same")
        self.beta_conv = keras.layers.Conv2D(channels, 3, padding="same")
        ### END SOLUTION

    def call(self, x, label_map):
        ### BEGIN SOLUTION
        mean = keras.ops.mean(x, axis=(0, 1, 2), keepdims=True)
        variance = keras.ops.mean(keras.ops.square(x - mean), axis=(0, 1, 2), keepdims=True)
        x_hat = (x - mean) / keras.ops.sqrt(variance + self.epsilon)
        height, width = keras.ops.shape(x)[1], keras.ops.shape(x)[2]
        labels = keras.ops.image.resize(label_map, (height, width), interpolation="nearest")
        hidden = self.shared(labels)
        return x_hat * (1.0 + self.gamma_conv(hidden)) + self.beta_conv(hidden)
        ### END SOLUTION

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden, "epsilon": self.epsilon}
''',
    3,
)

md(
    r"""
## Part 2: the SPADE residual block

GauGAN's generator is a stack of residual blocks (chapter 1's PixelCNN had some) in which SPADE
takes the place of batch normalisation. With $C_\text{in}$ the input's channels and
$\text{middle} = \min(C_\text{in}, \text{filters})$:

| path | layers |
|---|---|
| main | SPADE → LeakyReLU(0.2) → `Conv2D(middle, 3, same)` → SPADE → LeakyReLU(0.2) → `Conv2D(filters, 3, same)` |
| shortcut, when $C_\text{in} \neq$ `filters` | SPADE → `Conv2D(filters, 1, use_bias=False)`, no activation |
| shortcut, when $C_\text{in} =$ `filters` | $x$ itself |

and the block returns main + shortcut. A shortcut must have the block's output channels to be
added; where it has them already, it is the identity, the easiest path for a gradient. Each SPADE
is a layer of its own, with its own convolutions, and all three read the same label map.

Write `SPADEResBlock(filters, hidden=64)`: `build(self, x_shape, label_map_shape)` creates
`self.spade_1`, `self.conv_1`, `self.spade_2`, `self.conv_2`, and `self.spade_skip` and
`self.conv_skip`, both `None` when the channels do not change; `call(self, x, label_map)` returns
the sum. Every SPADE of the block gets `hidden`. LeakyReLU is `keras.ops.leaky_relu(h, 0.2)` (or a
`keras.layers.LeakyReLU(0.2)` made in `build`).
""",
    r"""
## 第 2 部分：SPADE 残差块

GauGAN 的生成器是一叠残差块（第 1 章的 PixelCNN 中有过），其中 SPADE 取代了批归一化。设 $C_\text{in}$
为输入的通道数，$\text{middle} = \min(C_\text{in}, \text{filters})$：

| 路径 | 层 |
|---|---|
| 主路径 | SPADE → LeakyReLU(0.2) → `Conv2D(middle, 3, same)` → SPADE → LeakyReLU(0.2) → `Conv2D(filters, 3, same)` |
| 捷径，当 $C_\text{in} \neq$ `filters` | SPADE → `Conv2D(filters, 1, use_bias=False)`，没有激活函数 |
| 捷径，当 $C_\text{in} =$ `filters` | $x$ 本身 |

块返回主路径 + 捷径。捷径必须具有块的输出通道数才能相加；已经具有时，它就是恒等映射，这是梯度最容易
通过的路径。每个 SPADE 都是一个独立的层，有自己的卷积，三个 SPADE 读取同一张标签图。

编写 `SPADEResBlock(filters, hidden=64)`：`build(self, x_shape, label_map_shape)` 创建
`self.spade_1`、`self.conv_1`、`self.spade_2`、`self.conv_2`，以及 `self.spade_skip` 和
`self.conv_skip`，通道数不变时这两个都是 `None`；`call(self, x, label_map)` 返回两者之和。块中的每个
SPADE 都使用 `hidden`。LeakyReLU 用 `keras.ops.leaky_relu(h, 0.2)`（或在 `build` 中创建的
`keras.layers.LeakyReLU(0.2)`）。
""",
)

solution(
    "spade_block",
    r'''
class SPADEResBlock(keras.layers.Layer):
    """call(x, label_map) -> main + shortcut, (B, H, W, filters).

    main: spade_1 -> LeakyReLU(0.2) -> conv_1 (Conv2D(min(C_in, filters), 3, same)) -> spade_2 ->
    LeakyReLU(0.2) -> conv_2 (Conv2D(filters, 3, same)). shortcut: spade_skip -> conv_skip
    (Conv2D(filters, 1, no bias)) when C_in != filters, else x (spade_skip and conv_skip None)."""

    def __init__(self, filters, hidden=64, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.hidden = hidden

    def build(self, x_shape, label_map_shape):
        """Create the layers of both paths; C_in is x_shape[-1]."""
        ### BEGIN SOLUTION
        channels = x_shape[-1]
        self.spade_1 = SPADE(self.hidden)
        self.conv_1 = keras.layers.Conv2D(min(channels, self.filters), 3, padding="same")
        self.spade_2 = SPADE(self.hidden)
        self.conv_2 = keras.layers.Conv2D(self.filters, 3, padding="same")
        if channels != self.filters:
            self.spade_skip = SPADE(self.hidden)
            self.conv_skip = keras.layers.Conv2D(self.filters, 1, use_bias=False)
        else:
            self.spade_skip = None
            self.conv_skip = None
        ### END SOLUTION

    def call(self, x, label_map):
        ### BEGIN SOLUTION
        h = self.conv_1(keras.ops.leaky_relu(self.spade_1(x, label_map), 0.2))
        h = self.conv_2(keras.ops.leaky_relu(self.spade_2(h, label_map), 0.2))
        if self.conv_skip is None:
            return h + x
        return h + self.conv_skip(self.spade_skip(x, label_map))
        ### END SOLUTION

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "hidden": self.hidden}
''',
    3,
)

md(
    r"""
## Part 3: the generator

Since the label map reaches every block, the generator's own input is free for something else: a
vector $z$ that says **how** to paint (here: brightness, pattern, texture), while the map says
what goes where. The generator starts from $z$ as a $4 \times 4$ grid and doubles it until it has
the image's size:

| step | layer | output for `filters` $= f$, `image_size` 32 |
|---|---|---|
| input | $z$ $(B, z_\text{dim})$ and the label map $(B, 32, 32, L)$ | |
| 1 | `Dense(4 * 4 * 4 * f)`, `Reshape((4, 4, 4 * f))` | $(B, 4, 4, 4f)$ |
| 2 | for $k = 0, 1, \dots, \log_2(\text{image\_size} / 4) - 1$: `SPADEResBlock(f * 2 ** max(0, 2 - k))`, then `UpSampling2D(2)` | $(B, 8, 8, 4f)$, $(B, 16, 16, 2f)$, $(B, 32, 32, f)$ |
| 3 | `SPADEResBlock(f)` | $(B, 32, 32, f)$ |
| 4 | LeakyReLU(0.2), `Conv2D(channels, 3, same)`, tanh | $(B, 32, 32, \text{channels})$ in $[-1, 1]$ |

Every block gets the **full-size** label map; its SPADE layers resize it to their own size.

`build_gaugan_generator(num_labels=NUM_LABELS, z_dim=64, filters=64, image_size=IMAGE_SIZE,
channels=1, hidden=64)` returns a functional `keras.Model` with the inputs `[z, label_map]`
(`keras.Input((z_dim,))`, `keras.Input((image_size, image_size, num_labels))`, in this order) and
the images as output; `hidden` goes to every block. `UpSampling2D(2)` repeats pixels (nearest
neighbour, its default).
""",
    r"""
## 第 3 部分：生成器

既然标签图到达每一个块，生成器自己的输入就可以用来做别的事：一个向量 $z$，说明**怎样**画（这里是
亮度、图案、纹理），而标签图说明什么东西在哪里。生成器把 $z$ 变成一个 $4 \times 4$ 的网格，然后不断
加倍，直到达到图像的尺寸：

| 步骤 | 层 | `filters` $= f$、`image_size` 为 32 时的输出 |
|---|---|---|
| 输入 | $z$ $(B, z_\text{dim})$ 和标签图 $(B, 32, 32, L)$ | |
| 1 | `Dense(4 * 4 * 4 * f)`、`Reshape((4, 4, 4 * f))` | $(B, 4, 4, 4f)$ |
| 2 | 对 $k = 0, 1, \dots, \log_2(\text{image\_size} / 4) - 1$：`SPADEResBlock(f * 2 ** max(0, 2 - k))`，然后 `UpSampling2D(2)` | $(B, 8, 8, 4f)$、$(B, 16, 16, 2f)$、$(B, 32, 32, f)$ |
| 3 | `SPADEResBlock(f)` | $(B, 32, 32, f)$ |
| 4 | LeakyReLU(0.2)、`Conv2D(channels, 3, same)`、tanh | $[-1, 1]$ 中的 $(B, 32, 32, \text{channels})$ |

每个块都得到**完整尺寸**的标签图；块中的 SPADE 层把它缩放到自己的尺寸。

`build_gaugan_generator(num_labels=NUM_LABELS, z_dim=64, filters=64, image_size=IMAGE_SIZE,
channels=1, hidden=64)` 返回一个函数式 `keras.Model`，输入为 `[z, label_map]`
（`keras.Input((z_dim,))`、`keras.Input((image_size, image_size, num_labels))`，按这个顺序），输出为
图像；`hidden` 传给每个块。`UpSampling2D(2)` 重复像素（最近邻，它的默认方式）。
""",
)

solution(
    "gaugan_generator",
    r'''
def build_gaugan_generator(
    num_labels=NUM_LABELS, z_dim=64, filters=64, image_size=IMAGE_SIZE, channels=1, hidden=64
):
    """keras.Model [z (B, z_dim), label_map (B, S, S, num_labels)] -> images (B, S, S, channels)
    in [-1, 1], S = image_size: Dense(4 * 4 * 4 * filters), Reshape((4, 4, 4 * filters)); for k
    in range(log2(S // 4)): SPADEResBlock(filters * 2 ** max(0, 2 - k), hidden), UpSampling2D(2);
    then SPADEResBlock(filters, hidden), LeakyReLU(0.2), Conv2D(channels, 3, same), tanh."""
    ### BEGIN SOLUTION
    z = keras.Input((z_dim,))
    label_map = keras.Input((image_size, image_size, num_labels))
    x = keras.layers.Dense(4 * 4 * 4 * filters)(z)
    x = keras.layers.Reshape((4, 4, 4 * filters))(x)
    for k in range(int(math.log2(image_size // 4))):
        x = SPADEResBlock(filters * 2 ** max(0, 2 - k), hidden)(x, label_map)
        x = keras.layers.UpSampling2D(2)(x)
    x = SPADEResBlock(filters, hidden)(x, label_map)
    x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Conv2D(channels, 3, padding="same")(x)
    images = keras.layers.Activation("tanh")(x)
    return keras.Model([z, label_map], images, name="gaugan_generator")
    ### END SOLUTION
''',
    2,
)

code(r"""
demo_generator = build_gaugan_generator(filters=16, hidden=32)
print(f"generator (filters 16, hidden 32): {demo_generator.count_params():,} parameters")
demo_maps = one_hot(test.labels[:4], NUM_LABELS)
print("output", tuple(demo_generator([np.zeros((4, 64), np.float32), demo_maps]).shape))
""")

md(
    r"""
## Part 4: the style encoder

Without an encoder, $z$ is drawn at random, and the generator learns to paint *some* plausible
item for a map. With one, it can paint the item in the style of a given image. GauGAN's encoder
reads a real image and returns a mean $\mu$ and a log-variance $\log \sigma^2$, as a VAE's
encoder does (chapter 2); the generator gets
$$z = \mu + \sigma \odot \varepsilon, \qquad \varepsilon \sim \mathcal{N}(0, I),$$
the reparameterisation trick, so that gradients reach the encoder through $z$. In training, the
encoder sees the real image whose label map the generator is painting, so the generator learns
to reproduce that image's style; a KL term (part 6) keeps the codes near $\mathcal{N}(0, I)$, so
that at test time a $z$ drawn from $\mathcal{N}(0, I)$ gives a plausible style too.

| step | layer | output for 32-pixel images, `filters` $= f$ |
|---|---|---|
| 1 | `Conv2D(f, 3, strides=2, padding="same")`, LeakyReLU(0.2) | $(B, 16, 16, f)$ |
| 2 | `Conv2D(2 * f, 3, strides=2, padding="same")`, LeakyReLU(0.2) | $(B, 8, 8, 2f)$ |
| 3 | `Conv2D(4 * f, 3, strides=2, padding="same")`, LeakyReLU(0.2) | $(B, 4, 4, 4f)$ |
| 4 | `Flatten`, then two `Dense(z_dim)` side by side: the mean and the log-variance | $(B, z_\text{dim})$ twice |

- `build_style_encoder(z_dim=64, filters=32, image_size=IMAGE_SIZE, channels=1)`: a
  `keras.Model` from `keras.Input((image_size, image_size, channels))` to `[mean, log_var]`.
- `sample_style(mean, log_var, seed=None)`: `mean + exp(log_var / 2) * eps` with `eps` drawn by
  `keras.random.normal(shape, seed=seed)` in the shape of `mean`; `seed` is a
  `keras.random.SeedGenerator` (each call draws new numbers from it) or `None`.
""",
    r"""
## 第 4 部分：风格编码器

没有编码器时，$z$ 随机抽取，生成器学会为一张标签图画出*某个*合理的物品。有了编码器，它就能按一张给定
图像的风格来画。GauGAN 的编码器读取一张真实图像，像 VAE 的编码器（第 2 章）一样返回均值 $\mu$ 和对数方差
$\log \sigma^2$；生成器得到
$$z = \mu + \sigma \odot \varepsilon, \qquad \varepsilon \sim \mathcal{N}(0, I),$$
这就是重参数化技巧，梯度借此经过 $z$ 到达编码器。训练时，编码器看到的正是生成器所画标签图对应的真实图像，
于是生成器学会再现那张图像的风格；KL 项（第 6 部分）让编码保持在 $\mathcal{N}(0, I)$ 附近，这样测试时从
$\mathcal{N}(0, I)$ 抽取的 $z$ 也能给出合理的风格。

| 步骤 | 层 | 32 像素图像、`filters` $= f$ 时的输出 |
|---|---|---|
| 1 | `Conv2D(f, 3, strides=2, padding="same")`、LeakyReLU(0.2) | $(B, 16, 16, f)$ |
| 2 | `Conv2D(2 * f, 3, strides=2, padding="same")`、LeakyReLU(0.2) | $(B, 8, 8, 2f)$ |
| 3 | `Conv2D(4 * f, 3, strides=2, padding="same")`、LeakyReLU(0.2) | $(B, 4, 4, 4f)$ |
| 4 | `Flatten`，然后是并列的两个 `Dense(z_dim)`：均值和对数方差 | 两个 $(B, z_\text{dim})$ |

- `build_style_encoder(z_dim=64, filters=32, image_size=IMAGE_SIZE, channels=1)`：一个
  `keras.Model`，从 `keras.Input((image_size, image_size, channels))` 到 `[mean, log_var]`。
- `sample_style(mean, log_var, seed=None)`：`mean + exp(log_var / 2) * eps`，其中 `eps` 由
  `keras.random.normal(shape, seed=seed)` 按 `mean` 的形状抽取；`seed` 是一个
  `keras.random.SeedGenerator`（每次调用都从中抽取新的数）或 `None`。
""",
)

solution(
    "style_encoder",
    r'''
def build_style_encoder(z_dim=64, filters=32, image_size=IMAGE_SIZE, channels=1):
    """keras.Model images (B, S, S, channels) -> [mean, log_var], each (B, z_dim): three
    Conv2D(filters * 2 ** i, 3, strides=2, same) each followed by LeakyReLU(0.2), Flatten, then
    two Dense(z_dim)."""
    ### BEGIN SOLUTION
    images = keras.Input((image_size, image_size, channels))
    x = images
    for width in (filters, 2 * filters, 4 * filters):
        x = keras.layers.Conv2D(width, 3, strides=2, padding="same")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Flatten()(x)
    mean = keras.layers.Dense(z_dim)(x)
    log_var = keras.layers.Dense(z_dim)(x)
    return keras.Model(images, [mean, log_var], name="style_encoder")
    ### END SOLUTION


def sample_style(mean, log_var, seed=None):
    """mean + exp(log_var / 2) * eps, eps = keras.random.normal(mean's shape, seed=seed)."""
    ### BEGIN SOLUTION
    eps = keras.random.normal(keras.ops.shape(mean), seed=seed)
    return mean + keras.ops.exp(log_var / 2.0) * eps
    ### END SOLUTION
''',
    2,
)

md(
    r"""
## Part 5: the multi-scale discriminator

GauGAN's discriminator is pix2pixHD's: PatchGANs (chapter 4) at several scales. Each one reads
the label map and the image joined on the channel axis, and scores every patch; the one at full
size judges details, the one on half-size copies sees a larger part of the image with the same
layers. Each returns not only its logits but also its intermediate features, which the feature
matching loss (part 6) compares.

`build_patch_discriminator(num_labels=NUM_LABELS, filters=64, channels=1)`: a `keras.Model` with
the inputs `[label_map, image]`, `keras.Input((None, None, num_labels))` and
`keras.Input((None, None, channels))` (any size), returning the list of four tensors:

| | layer | output for $32 \times 32$ inputs |
|---|---|---|
| | concatenate `[label_map, image]` on the channels | $(B, 32, 32, L + \text{channels})$ |
| 1 | `Conv2D(f, 4, strides=2, padding="same")`, LeakyReLU(0.2) | $(B, 16, 16, f)$ |
| 2 | `Conv2D(2 * f, 4, strides=2, padding="same")`, LeakyReLU(0.2) | $(B, 8, 8, 2f)$ |
| 3 | `Conv2D(4 * f, 4, strides=1, padding="same")`, LeakyReLU(0.2) | $(B, 8, 8, 4f)$ |
| 4 | `Conv2D(1, 4, strides=1, padding="same")`: the patch logits, no activation | $(B, 8, 8, 1)$ |

`build_multiscale_discriminator(num_labels=NUM_LABELS, filters=64, channels=1, scales=2)`: a
`keras.Model` with the inputs `[label_map, image]` (any size) returning a list over the scales of
those lists of four. Scale 0 sees the inputs as they are; scale $k$ sees both inputs
average-pooled $k$ times with `AveragePooling2D(3, strides=2, padding="same")`. Each scale has a
patch discriminator of its own (call `build_patch_discriminator` once per scale), so they do not
share weights.
""",
    r"""
## 第 5 部分：多尺度判别器

GauGAN 的判别器就是 pix2pixHD 的判别器：几个尺度上的 PatchGAN（第 4 章）。每一个都读取在通道轴上拼接的
标签图和图像，并给每个图像块打分；完整尺寸上的那个评判细节，缩小一半的副本上的那个用同样的层看到图像的
更大一部分。每个判别器不仅返回 logit，还返回中间特征，供特征匹配损失（第 6 部分）比较。

`build_patch_discriminator(num_labels=NUM_LABELS, filters=64, channels=1)`：一个 `keras.Model`，输入为
`[label_map, image]`，即 `keras.Input((None, None, num_labels))` 和
`keras.Input((None, None, channels))`（任意尺寸），返回四个张量组成的列表：

| | 层 | $32 \times 32$ 输入时的输出 |
|---|---|---|
| | 在通道上拼接 `[label_map, image]` | $(B, 32, 32, L + \text{channels})$ |
| 1 | `Conv2D(f, 4, strides=2, padding="same")`、LeakyReLU(0.2) | $(B, 16, 16, f)$ |
| 2 | `Conv2D(2 * f, 4, strides=2, padding="same")`、LeakyReLU(0.2) | $(B, 8, 8, 2f)$ |
| 3 | `Conv2D(4 * f, 4, strides=1, padding="same")`、LeakyReLU(0.2) | $(B, 8, 8, 4f)$ |
| 4 | `Conv2D(1, 4, strides=1, padding="same")`：图像块的 logit，没有激活函数 | $(B, 8, 8, 1)$ |

`build_multiscale_discriminator(num_labels=NUM_LABELS, filters=64, channels=1, scales=2)`：一个
`keras.Model`，输入为 `[label_map, image]`（任意尺寸），返回一个按尺度排列的列表，每一项是上面那样的
四个张量的列表。尺度 0 看到原样的输入；尺度 $k$ 看到两个输入各经过 $k$ 次
`AveragePooling2D(3, strides=2, padding="same")` 平均池化之后的结果。每个尺度有自己的图像块判别器（每个
尺度调用一次 `build_patch_discriminator`），所以它们不共享权重。
""",
)

solution(
    "multiscale_discriminator",
    r'''
def build_patch_discriminator(num_labels=NUM_LABELS, filters=64, channels=1):
    """keras.Model [label_map (B, H, W, num_labels), image (B, H, W, channels)] -> [f1, f2, f3,
    logits]: the concatenation [label_map, image], then Conv2D(filters, 4, strides 2) + LeakyReLU
    0.2 (f1), Conv2D(2 * filters, 4, strides 2) + LeakyReLU (f2), Conv2D(4 * filters, 4, strides
    1) + LeakyReLU (f3), Conv2D(1, 4, strides 1) (logits); all with same padding."""
    ### BEGIN SOLUTION
    label_map = keras.Input((None, None, num_labels))
    image = keras.Input((None, None, channels))
    x = keras.layers.Concatenate()([label_map, image])
    features = []
    for size, stride in ((filters, 2), (2 * filters, 2), (4 * filters, 1)):
        x = keras.layers.Conv2D(size, 4, strides=stride, padding="same")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
        features.append(x)
    features.append(keras.layers.Conv2D(1, 4, strides=1, padding="same")(x))
    return keras.Model([label_map, image], features)
    ### END SOLUTION


def build_multiscale_discriminator(num_labels=NUM_LABELS, filters=64, channels=1, scales=2):
    """keras.Model [label_map, image] -> a list over scales of the lists [f1, f2, f3, logits] of
    a patch discriminator of each scale's own; scale k sees both inputs average-pooled k times
    (AveragePooling2D(3, strides=2, padding="same"))."""
    ### BEGIN SOLUTION
    label_map = keras.Input((None, None, num_labels))
    image = keras.Input((None, None, channels))
    labels, pixels = label_map, image
    outputs = []
    for scale in range(scales):
        if scale > 0:
            labels = keras.layers.AveragePooling2D(3, strides=2, padding="same")(labels)
            pixels = keras.layers.AveragePooling2D(3, strides=2, padding="same")(pixels)
        patch = build_patch_discriminator(num_labels, filters, channels)
        outputs.append(patch([labels, pixels]))
    return keras.Model([label_map, image], outputs, name="multiscale_discriminator")
    ### END SOLUTION
''',
    3,
)

md(
    r"""
## Part 6: the losses

Let $D_s$ be the discriminator of scale $s$ (of $S$ scales), $D_s^{(i)}$ its $i$-th feature map
($i = 1, \dots, n$; $n = 3$ here) and $D_s^{\text{logits}}$ its logits, always on the label map
and an image. Every "mean" below is over all the numbers of its tensor.

- **Hinge loss** (Lim and Ye 2017, used by SAGAN and BigGAN). The discriminator is asked for a
  margin: real patches at $+1$ or above, generated ones at $-1$ or below; past the margin it is
  not pushed further.
  $$L_D = \frac{1}{S}\sum_s \operatorname{mean}\operatorname{relu}(1 - D_s^{\text{logits}}(m, x))
        + \operatorname{mean}\operatorname{relu}(1 + D_s^{\text{logits}}(m, G(z, m))),
  \qquad
  L_G^{\text{adv}} = -\frac{1}{S}\sum_s \operatorname{mean} D_s^{\text{logits}}(m, G(z, m)).$$
- **Feature matching** (pix2pixHD): the generated image should give the discriminator the same
  features as the real one of the same label map, layer by layer:
  $$L_\text{FM} = \frac{1}{S}\sum_s \frac{1}{n}\sum_{i=1}^{n}
  \operatorname{mean}\big|D_s^{(i)}(m, x) - D_s^{(i)}(m, G(z, m))\big|,$$
  the real features **held constant** (`keras.ops.stop_gradient`): this loss trains the generator,
  not the discriminator. The logits are left out.
- **KL divergence** of the encoder's $\mathcal{N}(\mu, \sigma^2)$ from $\mathcal{N}(0, I)$, summed
  over the code's dimensions and averaged over the batch (chapter 2's):
  $$L_\text{KL} = \operatorname{mean}_b\Big[-\tfrac{1}{2}\sum_j \big(1 + \log\sigma_{bj}^2 -
  \mu_{bj}^2 - \sigma_{bj}^2\big)\Big].$$
- **Perceptual loss** (pix2pixHD's VGG loss): the generated and the real image should have alike
  VGG19 features $\phi_i$, weighted by layer:
  $$L_\text{VGG} = \sum_i w_i \operatorname{mean}\big|\phi_i(x) - \phi_i(G(z, m))\big|,$$
  the real image's features held constant. VGG19 reads colour images in $0..255$ with ImageNet's
  mean pixel subtracted; `to_vgg_input` (given, in the next cell) turns our grey images in
  $[-1, 1]$ into that, and `perceptual_loss` receives images already turned (it passes `real`
  and `fake` to the extractor as they are).

Write `discriminator_hinge_loss(real_outputs, fake_outputs)`, `generator_hinge_loss(fake_outputs)`,
`feature_matching_loss(real_outputs, fake_outputs)` (the outputs of the multi-scale discriminator:
lists over scales of lists of features, the logits last), `kl_divergence(mean, log_var)` and
`perceptual_loss(extractor, real, fake, layer_weights)`, each returning a scalar.
""",
    r"""
## 第 6 部分：损失

设 $D_s$ 为尺度 $s$（共 $S$ 个尺度）的判别器，$D_s^{(i)}$ 为它的第 $i$ 个特征图（$i = 1, \dots, n$，
这里 $n = 3$），$D_s^{\text{logits}}$ 为它的 logit，输入总是标签图和一张图像。下面每个 "mean" 都对它的
张量中的所有数取平均。

- **铰链损失**（Lim 和 Ye 2017，SAGAN 和 BigGAN 都用它）。它要求判别器留出余量：真实图像块在 $+1$ 或
  以上，生成的图像块在 $-1$ 或以下；超过余量就不再推它。
  $$L_D = \frac{1}{S}\sum_s \operatorname{mean}\operatorname{relu}(1 - D_s^{\text{logits}}(m, x))
        + \operatorname{mean}\operatorname{relu}(1 + D_s^{\text{logits}}(m, G(z, m))),
  \qquad
  L_G^{\text{adv}} = -\frac{1}{S}\sum_s \operatorname{mean} D_s^{\text{logits}}(m, G(z, m)).$$
- **特征匹配**（pix2pixHD）：对同一张标签图，生成的图像应当逐层给判别器带来与真实图像相同的特征：
  $$L_\text{FM} = \frac{1}{S}\sum_s \frac{1}{n}\sum_{i=1}^{n}
  \operatorname{mean}\big|D_s^{(i)}(m, x) - D_s^{(i)}(m, G(z, m))\big|,$$
  真实图像的特征**保持不变**（`keras.ops.stop_gradient`）：这个损失训练的是生成器，不是判别器。logit
  不计入。
- 编码器的 $\mathcal{N}(\mu, \sigma^2)$ 相对 $\mathcal{N}(0, I)$ 的 **KL 散度**，在编码的各维上求和，
  在批次上取平均（第 2 章的那个）：
  $$L_\text{KL} = \operatorname{mean}_b\Big[-\tfrac{1}{2}\sum_j \big(1 + \log\sigma_{bj}^2 -
  \mu_{bj}^2 - \sigma_{bj}^2\big)\Big].$$
- **感知损失**（pix2pixHD 的 VGG 损失）：生成的图像和真实图像应当有相似的 VGG19 特征 $\phi_i$，
  按层加权：
  $$L_\text{VGG} = \sum_i w_i \operatorname{mean}\big|\phi_i(x) - \phi_i(G(z, m))\big|,$$
  真实图像的特征保持不变。VGG19 读取 $0..255$ 的彩色图像，并减去 ImageNet 的平均像素；
  `to_vgg_input`（已给出，在下一个单元格中）把我们 $[-1, 1]$ 中的灰度图像变成这种形式，而
  `perceptual_loss` 收到的是已经变换好的图像（它把 `real` 和 `fake` 原样交给特征提取器）。

编写 `discriminator_hinge_loss(real_outputs, fake_outputs)`、`generator_hinge_loss(fake_outputs)`、
`feature_matching_loss(real_outputs, fake_outputs)`（参数是多尺度判别器的输出：按尺度排列的列表，每项是
特征的列表，logit 在最后）、`kl_divergence(mean, log_var)` 和
`perceptual_loss(extractor, real, fake, layer_weights)`，每个都返回一个标量。
""",
)

code(
    r"""
IMAGENET_MEANS_BGR = (103.939, 116.779, 123.68)  # ImageNet's mean pixel, B, G, R, in 0..255


def to_vgg_input(images):
    # Grey images (B, H, W, 1) in [-1, 1] -> VGG19's input (B, H, W, 3): the grey channel
    # repeated three times, mapped to 0..255 ((x + 1) * 127.5), ImageNet's mean pixel (B, G, R)
    # subtracted. (A grey pixel is the same in RGB and BGR order, so nothing is flipped.)
    pixels = (keras.ops.convert_to_tensor(images, "float32") + 1.0) * 127.5
    pixels = keras.ops.repeat(pixels, 3, axis=-1)
    return pixels - keras.ops.convert_to_tensor(IMAGENET_MEANS_BGR)
""",
    export=True,
)

solution(
    "gaugan_losses",
    r'''
def discriminator_hinge_loss(real_outputs, fake_outputs):
    """The mean over scales of mean(relu(1 - real logits)) + mean(relu(1 + fake logits)); the
    logits are the last entry of each scale's list."""
    ### BEGIN SOLUTION
    total = 0.0
    for real, fake in zip(real_outputs, fake_outputs, strict=True):
        total = total + keras.ops.mean(keras.ops.relu(1.0 - real[-1]))
        total = total + keras.ops.mean(keras.ops.relu(1.0 + fake[-1]))
    return total / len(real_outputs)
    ### END SOLUTION


def generator_hinge_loss(fake_outputs):
    """The mean over scales of -mean(fake logits)."""
    ### BEGIN SOLUTION
    total = 0.0
    for fake in fake_outputs:
        total = total - keras.ops.mean(fake[-1])
    return total / len(fake_outputs)
    ### END SOLUTION


def feature_matching_loss(real_outputs, fake_outputs):
    """The mean over scales of the mean over that scale's features but the last (the logits) of
    mean(|stop_gradient(real feature) - fake feature|)."""
    ### BEGIN SOLUTION
    total = 0.0
    for real, fake in zip(real_outputs, fake_outputs, strict=True):
        scale = 0.0
        for real_feature, fake_feature in zip(real[:-1], fake[:-1], strict=True):
            difference = keras.ops.stop_gradient(real_feature) - fake_feature
            scale = scale + keras.ops.mean(keras.ops.abs(difference))
        total = total + scale / (len(real) - 1)
    return total / len(real_outputs)
    ### END SOLUTION


def kl_divergence(mean, log_var):
    """KL(N(mean, exp(log_var)) || N(0, 1)) summed over the last axis, averaged over the batch:
    mean over b of -0.5 * sum_j (1 + log_var - mean ** 2 - exp(log_var))."""
    ### BEGIN SOLUTION
    terms = 1.0 + log_var - keras.ops.square(mean) - keras.ops.exp(log_var)
    return keras.ops.mean(-0.5 * keras.ops.sum(terms, axis=-1))
    ### END SOLUTION


def perceptual_loss(extractor, real, fake, layer_weights):
    """sum_i layer_weights[i] * mean(|f_i(real) - f_i(fake)|), the real features held constant.

    real, fake: VGG19 inputs (B, H, W, 3), given to the extractor as they are; the notebook
    makes them with to_vgg_input (grey images in [-1, 1] repeated to 3 channels, mapped to
    0..255, ImageNet's mean pixel subtracted). extractor(images) returns the list of feature
    maps f_i, one per weight."""
    ### BEGIN SOLUTION
    real_features = extractor(real)
    fake_features = extractor(fake)
    total = 0.0
    for weight, r, f in zip(layer_weights, real_features, fake_features, strict=True):
        total = total + weight * keras.ops.mean(keras.ops.abs(keras.ops.stop_gradient(r) - f))
    return total
    ### END SOLUTION
''',
    3,
)

md(
    r"""
### VGG19 for the perceptual loss

The perceptual loss compares the activations of `block1_conv1`, `block2_conv1`, `block3_conv1`,
`block4_conv1` and `block5_conv1` (after their ReLU), with the weights $1/32, 1/16, 1/8, 1/4, 1$
of pix2pixHD: the deeper layers, fewer and more abstract, count most.

**The weights.** With ImageNet's weights (the catalog's `vgg19-notop`: `igcourse data fetch
vgg19-notop`) the features describe what ImageNet taught VGG19 to see. Where the file is missing
(on the course's machines, in CI and in the autograder), the cell below builds VGG19 with
**seeded random weights** (He's initialisation, as in chapter 5), and says so: the loss still
compares the two images through a fixed bank of random filters, which is a weaker but honest
measure of difference. Quick mode trains without the perceptual loss (it costs VGG19 twice per
step on the CPU); the full run turns it on.
""",
    r"""
### 感知损失用的 VGG19

感知损失比较 `block1_conv1`、`block2_conv1`、`block3_conv1`、`block4_conv1` 和 `block5_conv1` 的激活
（经过 ReLU 之后），权重用 pix2pixHD 的 $1/32, 1/16, 1/8, 1/4, 1$：越深的层数量越少、越抽象，分量越重。

**权重。** 使用 ImageNet 权重时（数据目录中的 `vgg19-notop`：`igcourse data fetch vgg19-notop`），
特征描述的是 ImageNet 教会 VGG19 看到的东西。在没有这个文件的地方（课程的机器、CI 和自动评分中），下面
的单元格用**带种子的随机权重**（与第 5 章一样用 He 初始化）构建 VGG19，并会明确说出来：损失仍然通过一组
固定的随机滤波器比较两张图像，这是一个较弱但诚实的差异度量。快速模式训练时不用感知损失（在 CPU 上它让
每一步多跑两次 VGG19）；完整运行会打开它。
""",
)

code(r"""
PERCEPTUAL_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1",
                     "block5_conv1")
PERCEPTUAL_LAYER_WEIGHTS = (1 / 32, 1 / 16, 1 / 8, 1 / 4, 1.0)
weights_file = vgg19_weights_file()
if weights_file is None:
    print("VGG19 with seeded random weights: ImageNet's weights (vgg19-notop) are not on this "
          "machine. `igcourse data fetch vgg19-notop` downloads them where there is internet.")
else:
    print(f"VGG19 with ImageNet's weights ({weights_file})")
vgg = vgg19_network(weights_file)  # frozen; seeded random weights where the file is missing
vgg_features = keras.Model(vgg.inputs, [vgg.get_layer(name).output for name in PERCEPTUAL_LAYERS])
vgg_features.trainable = False
real_batch, other_batch = to_vgg_input(test_images[:16]), to_vgg_input(test_images[16:32])
print("perceptual loss, a batch against itself:",
      float(perceptual_loss(vgg_features, real_batch, real_batch, PERCEPTUAL_LAYER_WEIGHTS)))
print("perceptual loss, a batch against other items:",
      float(perceptual_loss(vgg_features, real_batch, other_batch, PERCEPTUAL_LAYER_WEIGHTS)))
""")

md(
    r"""
## Part 7: one training step

`make_gaugan_step(generator, encoder, discriminator, g_optimizer, d_optimizer, feature_weight=10.0,
kl_weight=0.05, perceptual=None, perceptual_weight=10.0, seed=None)` returns a `tf.function`
`step(images, label_maps)` (images $(B, 32, 32, 1)$ in $[-1, 1]$, one-hot label maps) that does
two updates, the discriminator's first:

1. **Discriminator.** `mean, log_var = encoder(images)`; `z = sample_style(mean, log_var, seed)`;
   `fake = generator([z, label_maps])`, held constant; under a `tf.GradientTape`,
   `d_loss = discriminator_hinge_loss(discriminator([label_maps, images]),
   discriminator([label_maps, fake]))`; `d_optimizer` applies its gradient to
   `discriminator.trainable_variables` only.
2. **Generator and encoder**, on a fresh tape: the encoder again and a new
   `z = sample_style(mean, log_var, seed)`, `fake = generator([z, label_maps])`, then
   $$L_G = L_G^{\text{adv}} + \text{feature\_weight}\cdot L_\text{FM} + \text{kl\_weight}\cdot
   L_\text{KL} \;\big[+\ \text{perceptual\_weight}\cdot \text{perceptual(images, fake)}\big],$$
   the adversarial and feature matching terms on the (just updated) discriminator's outputs for
   the real and the generated images, the last term only when `perceptual` is given (a callable
   `(real, fake) -> scalar`). `g_optimizer` applies the gradient of $L_G$ to the generator's
   **and** the encoder's trainable variables, in one `apply_gradients` over both lists: the
   encoder learns from the generator's losses, through $z$, and from the KL term.
3. It returns the dict `{"d_loss", "g_loss", "feature_loss", "kl_loss", "perceptual_loss"}` of
   scalar tensors: $L_D$, the total $L_G$, and the unweighted $L_\text{FM}$, $L_\text{KL}$ and
   perceptual loss (`0.0` without `perceptual`), each as computed before its update.

The discriminator never sees the generator's gradients, and the generator never moves the
discriminator: two tapes, two optimisers.
""",
    r"""
## 第 7 部分：一个训练步

`make_gaugan_step(generator, encoder, discriminator, g_optimizer, d_optimizer, feature_weight=10.0,
kl_weight=0.05, perceptual=None, perceptual_weight=10.0, seed=None)` 返回一个 `tf.function`
`step(images, label_maps)`（图像为 $[-1, 1]$ 中的 $(B, 32, 32, 1)$，标签图为独热），它做两次更新，
先更新判别器：

1. **判别器。** `mean, log_var = encoder(images)`；`z = sample_style(mean, log_var, seed)`；
   `fake = generator([z, label_maps])`，保持不变；在 `tf.GradientTape` 之下，
   `d_loss = discriminator_hinge_loss(discriminator([label_maps, images]),
   discriminator([label_maps, fake]))`；`d_optimizer` 只把它的梯度应用到
   `discriminator.trainable_variables`。
2. **生成器和编码器**，在一个新的 tape 上：再次调用编码器，抽取新的
   `z = sample_style(mean, log_var, seed)`，`fake = generator([z, label_maps])`，然后
   $$L_G = L_G^{\text{adv}} + \text{feature\_weight}\cdot L_\text{FM} + \text{kl\_weight}\cdot
   L_\text{KL} \;\big[+\ \text{perceptual\_weight}\cdot \text{perceptual(images, fake)}\big],$$
   对抗项和特征匹配项用（刚刚更新过的）判别器对真实图像和生成图像的输出，最后一项只在给出
   `perceptual`（一个可调用对象 `(real, fake) -> 标量`）时才有。`g_optimizer` 把 $L_G$ 的梯度应用到
   生成器**和**编码器的可训练变量上，用一次 `apply_gradients` 处理两个列表：编码器通过 $z$ 从生成器
   的损失中学习，也从 KL 项中学习。
3. 返回由标量张量组成的字典 `{"d_loss", "g_loss", "feature_loss", "kl_loss", "perceptual_loss"}`：
   $L_D$、总的 $L_G$，以及未加权的 $L_\text{FM}$、$L_\text{KL}$ 和感知损失（没有 `perceptual` 时为
   `0.0`），每个都是在各自的更新之前计算的。

判别器从不接收生成器的梯度，生成器也从不移动判别器：两个 tape，两个优化器。
""",
)

solution(
    "gaugan_step",
    r'''
def make_gaugan_step(
    generator,
    encoder,
    discriminator,
    g_optimizer,
    d_optimizer,
    feature_weight=10.0,
    kl_weight=0.05,
    perceptual=None,
    perceptual_weight=10.0,
    seed=None,
):
    """Return a tf.function step(images, label_maps) -> {"d_loss", "g_loss", "feature_loss",
    "kl_loss", "perceptual_loss"}: the discriminator's hinge update on a fake held constant,
    then one update of the generator and the encoder together (g_optimizer) on hinge +
    feature_weight * feature matching + kl_weight * KL (+ perceptual_weight * perceptual)."""
    ### BEGIN SOLUTION
    @tf.function
    def step(images, label_maps):
        mean, log_var = encoder(images, training=True)
        z = sample_style(mean, log_var, seed)
        fake = keras.ops.stop_gradient(generator([z, label_maps], training=True))
        with tf.GradientTape() as tape:
            real_outputs = discriminator([label_maps, images], training=True)
            fake_outputs = discriminator([label_maps, fake], training=True)
            d_loss = discriminator_hinge_loss(real_outputs, fake_outputs)
        d_variables = discriminator.trainable_variables
        d_gradients = tape.gradient(d_loss, d_variables)
        d_optimizer.apply_gradients(zip(d_gradients, d_variables, strict=True))

        g_variables = generator.trainable_variables + encoder.trainable_variables
        with tf.GradientTape() as tape:
            mean, log_var = encoder(images, training=True)
            z = sample_style(mean, log_var, seed)
            fake = generator([z, label_maps], training=True)
            real_outputs = discriminator([label_maps, images], training=True)
            fake_outputs = discriminator([label_maps, fake], training=True)
            feature = feature_matching_loss(real_outputs, fake_outputs)
            kl = kl_divergence(mean, log_var)
            g_loss = generator_hinge_loss(fake_outputs) + feature_weight * feature
            g_loss = g_loss + kl_weight * kl
            if perceptual is None:
                vgg = keras.ops.convert_to_tensor(0.0)
            else:
                vgg = perceptual(images, fake)
                g_loss = g_loss + perceptual_weight * vgg
        g_gradients = tape.gradient(g_loss, g_variables)
        g_optimizer.apply_gradients(zip(g_gradients, g_variables, strict=True))
        return {
            "d_loss": d_loss,
            "g_loss": g_loss,
            "feature_loss": feature,
            "kl_loss": kl,
            "perceptual_loss": vgg,
        }

    return step
    ### END SOLUTION
''',
    3,
)

md(
    r"""
## Training

The settings follow the paper where the CPU allows: the discriminator learns four times faster
than the generator ($4 \times 10^{-4}$ against $10^{-4}$, the two time-scale update rule), with
Adam, $\beta_1 = 0$ and $\beta_2 = 0.9$; feature matching weight 10, KL weight 0.05; batches of
32 items drawn afresh at every step, $z$ of 64 numbers. The paper also puts spectral
normalisation on every layer of both networks; we leave it out, to keep the networks plain.

- **Quick mode** (the autograder, CI, a machine without a GPU): `filters` 16 and `hidden` 32
  (about 0.45 million parameters in the generator), the encoder with 16 filters, 300 steps, no
  perceptual loss: about a minute on 2 CPU cores, after some 15 to 40 s in which TensorFlow
  traces the step. The items are recognisable from about 100 steps on. (While it traces,
  TensorFlow may print `remapper failed: ...`: an optimisation of the graph that it skips,
  harmless.)
- **The full run**: `filters` 64 and `hidden` 64 (4 million parameters in the generator), the
  encoder with 32 filters, 20,000 steps over all 60,000 items, and the perceptual loss on with
  weight 0.1. The paper's weight 10 suits VGG inputs about a hundred times smaller than the
  $0..255$ pixels that Keras's VGG19 reads, and the features grow about as much: here the
  perceptual loss between two different items is about 25 (the cell above), and weighted by 10
  it would drown the other terms. Plan on a GPU.
""",
    r"""
## 训练

在 CPU 允许的范围内，设置沿用论文：判别器的学习速度是生成器的四倍（$4 \times 10^{-4}$ 对 $10^{-4}$，
即双时间尺度更新规则），使用 Adam，$\beta_1 = 0$，$\beta_2 = 0.9$；特征匹配权重 10，KL 权重 0.05；每一步
重新抽取 32 个物品组成批次，$z$ 有 64 个数。论文还在两个网络的每一层上使用谱归一化；为了让网络保持简单，
我们没有使用它。

- **快速模式**（自动评分、CI、没有 GPU 的机器）：`filters` 16，`hidden` 32（生成器约 45 万个参数），
  编码器 16 个滤波器，300 步，不用感知损失：在 2 个 CPU 核上约一分钟，之前还有 15 到 40 秒用于
  TensorFlow 追踪训练步。大约从第 100 步起就能认出物品。（追踪时 TensorFlow 可能打印
  `remapper failed: ...`：这是它跳过的一项图优化，无害。）
- **完整运行**：`filters` 64，`hidden` 64（生成器 400 万个参数），编码器 32 个滤波器，在全部 60,000 个
  物品上训练 20,000 步，并以权重 0.1 打开感知损失。论文的权重 10 适用于比 Keras 的 VGG19 所读取的
  $0..255$ 像素小大约一百倍的 VGG 输入，而特征也大约放大同样的倍数：这里两个不同物品之间的感知损失约为
  25（见上面的单元格），乘以 10 会淹没其他各项。请准备一块 GPU。
""",
)

code(r"""
FILTERS = 16 if QUICK else 64
HIDDEN = 32 if QUICK else 64
ENCODER_FILTERS = 16 if QUICK else 32
Z_DIM = 64
BATCH_SIZE = 32
STEPS = 300 if QUICK else 20_000
PERCEPTUAL_WEIGHT = None if QUICK else 0.1
keras.utils.set_random_seed(0)

generator = build_gaugan_generator(NUM_LABELS, Z_DIM, FILTERS, IMAGE_SIZE, 1, HIDDEN)
encoder = build_style_encoder(Z_DIM, ENCODER_FILTERS, IMAGE_SIZE, 1)
discriminator = build_multiscale_discriminator(NUM_LABELS, FILTERS, 1, scales=2)
print(f"generator {generator.count_params():,} parameters, encoder {encoder.count_params():,}, "
      f"discriminator {discriminator.count_params():,}")
g_optimizer = keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9)
d_optimizer = keras.optimizers.Adam(4e-4, beta_1=0.0, beta_2=0.9)


def vgg_loss(real, fake):
    # the step's perceptual callable: grey images in [-1, 1] -> VGG19's input -> the loss
    return perceptual_loss(vgg_features, to_vgg_input(real), to_vgg_input(fake),
                           PERCEPTUAL_LAYER_WEIGHTS)


step = make_gaugan_step(
    generator, encoder, discriminator, g_optimizer, d_optimizer,
    feature_weight=10.0, kl_weight=0.05,
    perceptual=None if PERCEPTUAL_WEIGHT is None else vgg_loss,
    perceptual_weight=PERCEPTUAL_WEIGHT or 0.0,
    seed=keras.random.SeedGenerator(0),
)
rng = np.random.default_rng(0)
history = {key: [] for key in ("d_loss", "g_loss", "feature_loss", "kl_loss", "perceptual_loss")}
start = time.perf_counter()
for _ in progress(range(STEPS), description="GauGAN"):
    rows = rng.integers(0, len(train_images), BATCH_SIZE)
    losses = step(tf.constant(train_images[rows]),
                  tf.constant(one_hot(train.labels[rows], NUM_LABELS)))
    for key, value in losses.items():
        history[key].append(float(value))
print(f"{STEPS} steps in {time.perf_counter() - start:.0f} s; the last 50 steps' mean losses:")
print("  ".join(f"{key} {np.mean(values[-50:]):.3f}" for key, values in history.items()))
fig, axes = plt.subplots(1, 4, figsize=(14, 3))
for axis, key in zip(axes, ("d_loss", "g_loss", "feature_loss", "kl_loss"), strict=True):
    axis.plot(history[key])
    axis.set_title(key)
    axis.set_xlabel("step")
plt.tight_layout()
plt.show()
""")

md(
    r"""
## Samples

SPADE normalises with the statistics of the batch, at inference too, so a generator should not be
asked for one image alone: `paint` generates a few label maps among 64 others of the test split
and keeps theirs. Each row below is a test label map, the real item it was cut from, and three
items generated from it with three different $z$ drawn from $\mathcal{N}(0, I)$: the same
silhouette and class, painted three ways.
""",
    r"""
## 样本

SPADE 用批次的统计量做归一化，推理时也是如此，所以不应该让生成器单独生成一张图像：`paint` 把几张标签图
和测试集中另外 64 张放在一起生成，只保留前者的结果。下面每一行依次是一张测试标签图、它被剪出的那个真实
物品，以及用从 $\mathcal{N}(0, I)$ 抽取的三个不同的 $z$ 生成的三个物品：同样的轮廓和类别，三种画法。
""",
)

code(r"""
CONTEXT = one_hot(test.labels[-64:], NUM_LABELS)


def paint(generator, label_maps, seed=0):
    # One-hot label maps (N, 32, 32, L) -> images (N, 32, 32, 1) in [-1, 1], generated among 64
    # context maps; z from N(0, I) with `seed` (row i gets the same z for the same seed).
    batch = np.concatenate([np.asarray(label_maps, np.float32), CONTEXT])
    z = np.random.default_rng(seed).standard_normal((len(batch), Z_DIM)).astype(np.float32)
    return np.asarray(generator([z, batch]))[: len(label_maps)]


rows = np.arange(8) * 37
maps = one_hot(test.labels[rows], NUM_LABELS)
samples = [paint(generator, maps, seed) for seed in (1, 2, 3)]
columns = [coloured(test.labels[rows]), to_rgb(test_images[rows])] + [to_rgb(s) for s in samples]
plt.figure(figsize=(6, 9))
plt.imshow(image_grid(np.stack(columns, axis=1).reshape(-1, IMAGE_SIZE, IMAGE_SIZE, 3),
                      columns=5))
plt.title("label map | real | three samples")
plt.axis("off")
plt.show()
""")

md(
    r"""
## How good is it? The handed-in generator's two measures

The grader measures the handed-in generator on held-out test label maps with $z$ drawn from
$\mathcal{N}(0, I)$, in two ways, computed here too:

- **class consistency**: the share of generated items that the course's evaluator (the
  Fashion-MNIST classifier behind the earlier chapters' measures, reading $28 \times 28$ images, so the samples are resized with area
  interpolation) files under the class of their label map;
- **foreground IoU**: the item's silhouette in the generated image, the pixels above $-0.5$ (in
  $[-1, 1]$, a quarter of the way from black to white; the background is black, $-1$), against
  the label map's item mask, as intersection over union, averaged over the maps. The cut is
  well clear of the black background; it also drops the darkest parts of dark clothes, which
  the mask counts (the mask's own cut was 16 of 255, about $-0.87$), so even the real test items
  score only about 0.83 with it (0.95 with a cut at $-0.8$).

The real test items show the ceiling (the evaluator's accuracy on them, and their own IoU). A
generator that has learned where the item goes reaches high IoU quickly; the class is harder,
although a silhouette alone says much about it (a trouser's two legs).
""",
    r"""
## 效果如何？提交的生成器的两个衡量

评分程序在留出的测试标签图上、用从 $\mathcal{N}(0, I)$ 抽取的 $z$，从两个方面衡量提交的生成器，这里也
计算它们：

- **类别一致性**：生成的物品中，被课程的评估器（前几章的衡量所用的 Fashion-MNIST 分类器，读取 $28 \times 28$
  的图像，所以样本用面积插值缩小）归入其标签图类别的比例；
- **前景 IoU**：生成图像中物品的轮廓，即高于 $-0.5$ 的像素（在 $[-1, 1]$ 中，从黑到白的四分之一处；
  背景是黑色，$-1$），与标签图中物品掩码的交并比，在所有标签图上取平均。这个阈值与黑色背景相距很远；
  它也会丢掉深色衣物最暗的部分，而掩码把这些部分算在内（掩码自己的阈值是 255 中的 16，约为 $-0.87$），
  所以即使是真实的测试物品，用它也只能得到约 0.83（阈值取 $-0.8$ 时为 0.95）。

真实的测试物品给出上限（评估器在它们上的准确率，以及它们自己的 IoU）。学会了物品位置的生成器很快就能
达到很高的 IoU；类别更难一些，尽管单是轮廓就能说明很多（裤子的两条裤腿）。
""",
)

code(r"""
FOREGROUND_CUT = -0.5  # a generated pixel above this (in [-1, 1]) belongs to the item


def evaluator_classes(images):
    # (N, 32, 32, 1) in [-1, 1] -> the evaluator's probabilities (N, 10), at 28 x 28 in [0, 1]
    small = tf.image.resize((images + 1.0) / 2.0, (28, 28), method="area").numpy()
    return load_evaluator().features_and_probabilities(np.clip(small, 0.0, 1.0))[1]


def foreground_iou(images, labels, cut=FOREGROUND_CUT):
    # mean over the maps of |generated foreground AND item mask| / |... OR ...|
    foreground, mask = images[..., 0] > cut, labels > 0
    union = np.maximum((foreground | mask).sum(axis=(1, 2)), 1)
    return float(np.mean((foreground & mask).sum(axis=(1, 2)) / union))


count = 1000
generated = np.concatenate([
    np.asarray(generator([
        np.random.default_rng(first).standard_normal((100, Z_DIM)).astype(np.float32),
        one_hot(test.labels[first:first + 100], NUM_LABELS),
    ]))
    for first in range(0, count, 100)
])
consistency = class_consistency(evaluator_classes(generated), test.classes[:count]).accuracy
real_consistency = class_consistency(evaluator_classes(test_images[:count]),
                                     test.classes[:count]).accuracy
print(f"class consistency {consistency:.3f}  (real test items: {real_consistency:.3f})")
print(f"foreground IoU    {foreground_iou(generated, test.labels[:count]):.3f}  "
      f"(real test items: {foreground_iou(test_images[:count], test.labels[:count]):.3f})")
""")

md(
    r"""
## Paint your own

The label map is the generator's whole brief, so editing it edits the picture. Below, from left to
right: a test T-shirt's label map as it is; the same silhouette relabelled as a pullover; the
T-shirt with its sleeves erased; the T-shirt moved six pixels down; and two maps painted from
nothing: a pair of trousers (two rectangles) and a bag (a rectangle with a handle). All get the
same $z$, so what changes is what the maps changed. After a short training, relabelling
changes little: with one item per map, the silhouette already tells the class, and the
generator leans on it. Try your own: `labels` is a $(32, 32)$ array of integers in $0..10$.
""",
    r"""
## 自己来画

标签图是生成器得到的全部要求，所以编辑标签图就是编辑画面。下面从左到右依次是：一件测试集 T 恤原样的
标签图；同一个轮廓改标为套头衫；去掉袖子的 T 恤；向下移动六个像素的 T 恤；以及两张从零开始画的标签图：
一条裤子（两个矩形）和一个包（带提手的矩形）。它们都用同一个 $z$，所以变化的只是标签图改变了的东西。
训练时间短时，改换标签的效果很小：每张标签图只有一个物品，轮廓已经说明了类别，生成器便依赖轮廓。
试试你自己的：`labels` 是一个 $(32, 32)$ 的整数数组，取值在 $0..10$ 之间。
""",
)

code(r"""
shirt = test.labels[np.flatnonzero(test.classes == class_index("T-shirt/top"))[0]]
pullover = np.where(shirt > 0, 1 + class_index("Pullover"), 0)
sleeveless = shirt.copy()
sleeveless[:, :10] = 0
sleeveless[:, 22:] = 0
moved = np.zeros_like(shirt)
moved[6:] = shirt[:-6]
trousers = np.zeros_like(shirt)
trousers[3:30, 9:15] = trousers[3:30, 17:23] = 1 + class_index("Trouser")
trousers[3:8, 9:23] = 1 + class_index("Trouser")
bag = np.zeros_like(shirt)
bag[12:28, 5:27] = 1 + class_index("Bag")
bag[5:12, 10:12] = bag[5:12, 20:22] = bag[5:7, 10:22] = 1 + class_index("Bag")
edits = np.stack([shirt, pullover, sleeveless, moved, trousers, bag])
titles = ["T-shirt", "as a pullover", "no sleeves", "moved down", "trousers", "bag"]
painted = np.zeros((len(edits), IMAGE_SIZE, IMAGE_SIZE, 1), np.float32)
for i, labels in enumerate(edits):  # the same z (row 0 of seed 5) for every map
    painted[i] = paint(generator, one_hot(labels[None], NUM_LABELS), seed=5)[0]
fig, axes = plt.subplots(2, len(edits), figsize=(12, 4.5))
for i, title in enumerate(titles):
    axes[0, i].imshow(coloured(edits[i]))
    axes[0, i].set_title(title)
    axes[1, i].imshow(to_rgb(painted[i:i + 1])[0])
    for axis in axes[:, i]:
        axis.axis("off")
plt.tight_layout()
plt.show()
""")

md(
    r"""
### Hand in your trained generator

The cell below saves the trained generator's weights and the settings it was built with next to
this notebook. Submit both files with the notebook: the check after it (part `trained_gaugan`)
and the grader rebuild the generator with your `build_gaugan_generator` and measure it on other
test label maps, with $z$ drawn from $\mathcal{N}(0, I)$ and the maps generated in batches of 100:
its class consistency and its foreground IoU must reach the course's bars in `course_config.py`
(set between an untrained generator's figures, about 0.1 and 0.43, and quick mode's, about 0.77
and 0.82; the IoU cut is $-0.5$, as above). The encoder and the discriminator are not handed in: they serve training only.
""",
    r"""
### 提交训练好的生成器

下面的单元格把训练好的生成器的权重和构建它所用的设置保存在本笔记本旁边。把这两个文件和笔记本一起提交：
它后面的检查（部分 `trained_gaugan`）和评分程序会用你的 `build_gaugan_generator` 重建生成器，并在其他
测试标签图上衡量它，$z$ 从 $\mathcal{N}(0, I)$ 抽取，标签图每批 100 张生成：它的类别一致性和前景 IoU
必须达到 `course_config.py` 中课程的标准（定在未训练的生成器的结果（约 0.1 和 0.43）和快速模式的
结果（约 0.77 和 0.82）之间；IoU 的阈值与上面一样是 $-0.5$）。编码器和判别器不用提交：它们只为训练
服务。
""",
)

code(r"""
# The grader rebuilds the generator from these settings and measures it on test label maps.
generator.save_weights("gaugan_generator.weights.h5")
with open("gaugan_generator.json", "w") as f:
    json.dump({"num_labels": NUM_LABELS, "z_dim": Z_DIM, "filters": FILTERS,
               "image_size": IMAGE_SIZE, "channels": 1, "hidden": HIDDEN}, f)
print("saved gaugan_generator.weights.h5 and gaugan_generator.json")
""")

check("trained_gaugan", 2)

md(
    r"""
## What the offline data can show, and what it cannot

Fashion-MNIST's label maps have one item and one class each, on a black background. They show
SPADE at work: the silhouette decides where the generator paints, the class and $z$ decide how,
and editing the map edits the picture. They cannot show what made GauGAN famous: scenes of many
regions (sky, water, rock, tree) whose textures must meet at their borders, and whose style (a
sunset, a grey day) $z$ carries across all of them. Our style is little more than a brightness
and a pattern, and with a single class per map the class channel is barely needed beyond the
silhouette.

With the internet, the same code trains on real label maps. The CMP Facade Database (Tyleček and
Šára, GCPR 2013: 378 photographs of building fronts, each with a 12-class label map: wall,
window, door, balcony, ...) is in the course's catalog as `cmp-facades`
(`igcourse data fetch cmp-facades`), and `igcourse.data.label_maps.LabelMapFolder` reads it as
photos in $[-1, 1]$ and one-hot maps. Build the networks with `num_labels=12`, `channels=3` and
a larger `image_size` (64, 128 or 256: a power of two), and train on a GPU. The cell below shows
a few pairs where the data set is on this machine, and says so where it is not.
""",
    r"""
## 离线数据能展示什么，不能展示什么

Fashion-MNIST 的标签图每张只有一个物品、一个类别，背景是黑色的。它们展示了 SPADE 的工作方式：轮廓决定
生成器在哪里画，类别和 $z$ 决定怎样画，编辑标签图就编辑了画面。它们展示不了让 GauGAN 出名的东西：由许多
区域（天空、水、岩石、树）组成的场景，各区域的纹理必须在边界处衔接，而 $z$ 携带的风格（日落、阴天）要
贯穿所有区域。我们的风格不过是亮度和图案，而且每张图只有一个类别，除了轮廓之外几乎用不上类别通道。

能上网时，同样的代码可以在真正的标签图上训练。CMP 建筑立面数据库（Tyleček 和 Šára，GCPR 2013：378 张
建筑正面的照片，每张都有一张 12 类的标签图：墙、窗、门、阳台……）在课程的数据目录中，名为
`cmp-facades`（`igcourse data fetch cmp-facades`），`igcourse.data.label_maps.LabelMapFolder` 把它
读成 $[-1, 1]$ 中的照片和独热标签图。用 `num_labels=12`、`channels=3` 和更大的 `image_size`（64、128
或 256：2 的幂）构建网络，并在 GPU 上训练。下面的单元格在本机有这个数据集时展示几对样本，没有时会明确
说出来。
""",
)

code(r"""
from igcourse.data.fetch import where
from igcourse.data.label_maps import LabelMapFolder, colorize

facades = where("cmp-facades")
if facades is None:
    print("The CMP facades are not on this machine (no internet here, or not fetched yet): "
          "`igcourse data fetch cmp-facades` downloads them. This notebook does not need "
          "them.")
else:
    folder = LabelMapFolder(facades / "base", label_suffix=".png", num_classes=12,
                            label_offset=-1, size=(128, 128))
    photos, facade_labels = folder.take(range(4))
    facade_palette = (plt.cm.tab20(np.arange(12))[:, :3] * 255).astype(np.uint8)
    pairs = np.concatenate([(photos + 1.0) / 2.0, colorize(facade_labels, facade_palette) / 255.0])
    plt.figure(figsize=(10, 5))
    plt.imshow(image_grid(pairs, columns=4))
    plt.title(f"CMP facades ({len(folder)} pairs): photos and their label maps")
    plt.axis("off")
    plt.show()
""")

md(
    r"""
## Summary

- A label map fed only at the input is washed out by normalisation; SPADE feeds it to every
  normalisation instead, as a per-pixel scale $1 + \gamma(m)$ and shift $\beta(m)$ after a
  parameter-free batch normalisation.
- The generator is a stack of SPADE residual blocks grown from $z$; the label map says what goes
  where, $z$ how it looks. A VAE-style encoder gives $z$ a real image's style in training, and the
  KL term lets $z \sim \mathcal{N}(0, I)$ stand in for it at test time.
- The discriminator is a multi-scale PatchGAN on the label map and the image; it is trained with
  the hinge loss, and the generator with the hinge loss, feature matching on the discriminator's
  features and, in the full run, a perceptual loss on VGG19's.

Chapter 7 meets normalisation as a control again: StyleGAN sets AdaIN's scale and shift (chapter
5) from a learned style vector at every resolution of its generator.
""",
    r"""
## 小结

- 只在输入处送入的标签图会被归一化冲淡；SPADE 则把它送进每一个归一化，作为无参数批归一化之后的逐像素
  缩放 $1 + \gamma(m)$ 和平移 $\beta(m)$。
- 生成器是从 $z$ 逐步放大的一叠 SPADE 残差块；标签图说明什么东西在哪里，$z$ 说明它看起来怎样。VAE 式
  的编码器在训练时让 $z$ 带上一张真实图像的风格，KL 项使测试时可以用 $z \sim \mathcal{N}(0, I)$ 代替。
- 判别器是作用于标签图和图像的多尺度 PatchGAN，用铰链损失训练；生成器用铰链损失、判别器特征上的特征
  匹配，以及（完整运行时）VGG19 特征上的感知损失训练。

第 7 章会再次见到把归一化当作控制手段：StyleGAN 在生成器的每个分辨率上，用一个学到的风格向量设定
AdaIN（第 5 章）的缩放和平移。
""",
)

count = book.write(sys.argv[1], "gaugan")
print("wrote", sys.argv[1], count, "cells")
