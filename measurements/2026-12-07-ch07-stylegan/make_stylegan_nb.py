# ruff: noqa: E501 (the narrative: Chinese lines count double in width, wrapped by eye)
"""Writes source/ch07_face_generation/stylegan.ipynb (the master notebook of StyleGAN).

Usage: python make_stylegan_nb.py source/ch07_face_generation/stylegan.ipynb
Each narrative cell is written here in English and in Chinese, side by side.
"""

import sys

from igcourse.authoring import MasterNotebook

CHAPTER = "ch07_face_generation"
book = MasterNotebook(CHAPTER)
md, code, solution, check = book.md, book.code, book.solution, book.check


md(
    r"""
# Chapter 7: Style-based generators (StyleGAN)

ProGAN's generator turns $z$ into an image through one chain of layers, so every part of the
picture, from the pose to the freckles, is tangled in the same numbers. Karras, Laine and Aila
(*A Style-Based Generator Architecture for Generative Adversarial Networks*, CVPR 2019) rebuilt the
generator around chapter 5's AdaIN:

- a **mapping network** of dense layers turns $z$ into a **style** $w$ of the same size, learnt
  with a learning rate a hundred times lower than the rest;
- the **synthesis network** starts from a **learned constant**, not from $z$; $w$ enters every
  layer through **AdaIN**, which sets each channel's scale and bias, each layer with a style of
  its own;
- **noise** added to every layer, scaled per channel by learned strengths, makes the small random
  details (a strand of hair, a crease in the cloth) without spending the style on them.

Since every layer takes its own style, two $w$ can be **mixed**: the coarse layers from one, the
fine ones from another. And since $w$ has a mean, samples can be pulled toward it, the
**truncation trick**, to trade variety for quality. The critic and the loss are the ones StyleGAN
used for its own faces (FFHQ): the non-saturating logistic loss with the $R_1$ penalty.

| part | what you write | points |
|---|---|---|
| `mapping_network` | `MappingNetwork(keras.Model)` | 3 |
| `adain_modulation` | `AdaIN(keras.layers.Layer)` | 2 |
| `noise_injection` | `NoiseInjection(keras.layers.Layer)` | 2 |
| `style_generator` | `StyleGenerator(keras.Model)` | 3 |
| `style_mixing` | `mix_styles(w1, w2, crossover)` | 2 |
| `truncation` | `truncate(w, w_avg, psi)`, `track_w_avg(w_avg, w, decay)` | 2 |
| `stylegan_step` | `make_stylegan_step(...)` | 3 |
| `trained_stylegan` | the trained mapping and synthesis networks, handed in (measured by the grader) | 2 |
""",
    r"""
# 第 7 章：基于风格的生成器（StyleGAN）

ProGAN 的生成器通过一条层链把 $z$ 变成图像，所以图像的每个方面，从姿态到雀斑，都纠缠在同一组数字里。
Karras、Laine 和 Aila（*A Style-Based Generator Architecture for Generative Adversarial
Networks*，CVPR 2019）围绕第 5 章的 AdaIN 重建了生成器：

- 一个由全连接层组成的**映射网络**把 $z$ 变成同样大小的**风格** $w$，它的学习率比其余部分低一百倍；
- **合成网络**从一个**学习到的常量**出发，而不是从 $z$ 出发；$w$ 通过 **AdaIN** 进入每一层，设定每个
  通道的缩放和偏置，每一层都有自己的风格；
- 加到每一层上的**噪声**按学习到的逐通道强度缩放，生成细小的随机细节（一缕头发、布料的一道褶皱），
  而不必为它们耗费风格。

因为每一层取自己的风格，两个 $w$ 可以**混合**：粗糙的层取自一个，精细的层取自另一个。又因为 $w$ 有
均值，样本可以被拉向它，这就是**截断技巧**，用多样性换取质量。评论家和损失用的是 StyleGAN 为它自己的
人脸数据（FFHQ）所用的：非饱和 logistic 损失加 $R_1$ 惩罚。

| 部分 | 你要编写的内容 | 分值 |
|---|---|---|
| `mapping_network` | `MappingNetwork(keras.Model)` | 3 |
| `adain_modulation` | `AdaIN(keras.layers.Layer)` | 2 |
| `noise_injection` | `NoiseInjection(keras.layers.Layer)` | 2 |
| `style_generator` | `StyleGenerator(keras.Model)` | 3 |
| `style_mixing` | `mix_styles(w1, w2, crossover)` | 2 |
| `truncation` | `truncate(w, w_avg, psi)`、`track_w_avg(w_avg, w, decay)` | 2 |
| `stylegan_step` | `make_stylegan_step(...)` | 3 |
| `trained_stylegan` | 训练好的映射网络和合成网络，随笔记本提交（由评分程序衡量） | 2 |
""",
)

code(r"""
import json
import time

import matplotlib.pyplot as plt

from igcourse.checks import check_part
from igcourse.data.fashion_mnist import load_fashion_mnist
from igcourse.evaluation import evaluate_samples, summarize
from igcourse.notebook import image_grid, progress, quick_mode

QUICK = quick_mode()
""")

code(
    r"""
# The networks, the mixing and the training step below use these libraries and sizes.
import math

import keras
import numpy as np
import tensorflow as tf

LATENT_DIM = 64  # z ~ N(0, I) and w both have 64 numbers
MAPPING_LAYERS = 4  # dense layers of the mapping network (the paper's has 8)
LR_MULTIPLIER = 0.01  # the mapping network learns 100 times slower
FILTERS = 32  # the synthesis network's channels, at every resolution
NUM_STYLES = 8  # two layers, each with its own style, at 4, 8, 16 and 32 pixels
LEAK = 0.2  # the slope of every LeakyReLU
HE_GAIN = 1.4142135623730951  # sqrt(2): He's gain for layers followed by a LeakyReLU
R1_GAMMA = 1.0  # the weight of the R1 penalty


def layer_resolution(index):
    # the side of layer `index`'s feature maps: layers 0 and 1 are 4 x 4, 2 and 3 are 8 x 8, ...
    return 4 * 2 ** (index // 2)


def broadcast_w(w, num_styles=NUM_STYLES):
    # one style for every layer: (batch, latent) -> (batch, num_styles, latent)
    return keras.ops.repeat(keras.ops.expand_dims(w, 1), num_styles, axis=1)
""",
    export=True,
)

md(
    r"""
## The data

Fashion-MNIST's items with a black border of two pixels: $32 \times 32$, in $[-1, 1]$, with a
channel axis. Unlike ProGAN, the networks here work at $32 \times 32$ from the first step: StyleGAN
kept ProGAN's growing, but its successor StyleGAN2 showed that it is not needed, and leaving it
out keeps this notebook on the new ideas.
""",
    r"""
## 数据

Fashion-MNIST 的物品加上两个像素宽的黑边：$32 \times 32$，取值在 $[-1, 1]$ 中，带通道轴。与 ProGAN 不同，
这里的网络从第一步起就在 $32 \times 32$ 上工作：StyleGAN 保留了 ProGAN 的渐进增长，但它的后继者
StyleGAN2 表明增长并不必要；去掉它，可以让这个笔记本专注于新的想法。
""",
)

code(r"""
train_images, train_labels = load_fashion_mnist("train")
real = np.pad(train_images.astype(np.float32) / 127.5 - 1.0, ((0, 0), (2, 2), (2, 2)),
              constant_values=-1.0)[..., None]  # (60000, 32, 32, 1) in [-1, 1]


def show(rows, titles, size=1.6):
    # one row of images per entry of rows, each in [-1, 1]
    fig, axes = plt.subplots(len(rows), 1, figsize=(size * len(rows[0]), size * len(rows)))
    for axis, images, title in zip(np.atleast_1d(axes), rows, titles, strict=True):
        axis.imshow(image_grid(np.clip((np.asarray(images) + 1) / 2, 0, 1), columns=len(images)),
                    cmap="gray")
        axis.set_title(title)
        axis.axis("off")
    plt.tight_layout()
    plt.show()


show([real[:8]], ["real items, 32 x 32"])
""")

md(
    r"""
## The mapping network

$z \sim \mathcal{N}(0, I)$ must fill a sphere-like region, so a generator fed with $z$ directly has
to bend its features to fit that shape. The mapping network $f$ learns a space $\mathcal{W}$ that
needs no such bending:

1. **normalise $z$**: divide it by its root mean square, $z / \sqrt{\frac{1}{D}\sum_i z_i^2 +
   10^{-8}}$ (ProGAN's pixel norm, on a vector), so that only its direction counts;
2. `depth` **dense layers** of $D \to D$ units ($D$ = `latent_dim`), each followed by a
   LeakyReLU of slope 0.2, the last one too.

Each dense layer uses the **equalised learning rate** with a **learning-rate multiplier**
$\lambda$ = `lr_multiplier`: the kernel is stored drawn from $\mathcal{N}(0, 1/\lambda^2)$ (standard
deviation $1/\lambda$ = 100), the bias stored as zeros, and at every call
$$y = x \cdot \big(W \cdot \lambda \sqrt{2 / D}\big) + \lambda\, b .$$
The kernel in use has He's spread, as in any layer; but the stored numbers are $1/\lambda$ times
larger, so a step of Adam (whose size does not depend on the gradient's scale) moves the kernel in
use $\lambda$ times less. Create the weights in `__init__` (the sizes are known) or in `build`,
kernels and biases as the layers' own.
""",
    r"""
## 映射网络

$z \sim \mathcal{N}(0, I)$ 必须填满一个近似球形的区域，所以直接以 $z$ 为输入的生成器得把它的特征扭曲来
适应这个形状。映射网络 $f$ 学出一个不需要这种扭曲的空间 $\mathcal{W}$：

1. **归一化 $z$**：除以它的均方根，$z / \sqrt{\frac{1}{D}\sum_i z_i^2 + 10^{-8}}$（ProGAN 的像素归一化，
   作用于一个向量），这样只有它的方向起作用；
2. `depth` 个 $D \to D$ 的**全连接层**（$D$ = `latent_dim`），每层后面跟一个斜率 0.2 的 LeakyReLU，
   最后一层也是。

每个全连接层使用带**学习率乘数** $\lambda$ = `lr_multiplier` 的**均衡学习率**：存储的核从
$\mathcal{N}(0, 1/\lambda^2)$ 抽取（标准差 $1/\lambda$ = 100），存储的偏置为零，每次调用时
$$y = x \cdot \big(W \cdot \lambda \sqrt{2 / D}\big) + \lambda\, b .$$
实际使用的核和任何层一样具有 He 的分布；但存储的数字大了 $1/\lambda$ 倍，所以 Adam 的一步（其大小与梯度的
尺度无关）让实际使用的核移动得少 $\lambda$ 倍。在 `__init__`（大小已知）或 `build` 中创建权重，核与偏置
都属于这些层自己。
""",
)

solution(
    "mapping_network",
    r"""
class MappingNetwork(keras.Model):
    # z (batch, latent_dim) -> w (batch, latent_dim): normalise z, then `depth` equalised dense
    # layers with the learning-rate multiplier, each followed by a LeakyReLU

    def __init__(self, latent_dim=LATENT_DIM, depth=MAPPING_LAYERS, lr_multiplier=LR_MULTIPLIER,
                 **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.depth = depth
        self.lr_multiplier = lr_multiplier
        ### BEGIN SOLUTION
        stored = keras.initializers.RandomNormal(0.0, 1.0 / lr_multiplier)
        self.kernels = [
            self.add_weight(shape=(latent_dim, latent_dim), initializer=stored, name=f"kernel_{i}")
            for i in range(depth)
        ]
        self.biases = [
            self.add_weight(shape=(latent_dim,), initializer="zeros", name=f"bias_{i}")
            for i in range(depth)
        ]
        self.kernel_scale = lr_multiplier * HE_GAIN / math.sqrt(latent_dim)
        ### END SOLUTION

    def call(self, z):
        ### BEGIN SOLUTION
        mean_square = keras.ops.mean(keras.ops.square(z), axis=-1, keepdims=True)
        x = z * keras.ops.rsqrt(mean_square + 1e-8)
        for kernel, bias in zip(self.kernels, self.biases, strict=True):
            x = keras.ops.matmul(x, kernel * self.kernel_scale) + bias * self.lr_multiplier
            x = keras.ops.leaky_relu(x, LEAK)
        return x
        ### END SOLUTION
""",
    3,
)

md(
    r"""
## AdaIN, driven by the style

Chapter 5's AdaIN took its scale and bias from a style image's statistics. Here they come from $w$
through a learned affine map, one per layer: for features $x$ of $C$ channels,
$$y_s = A_s w + 1, \qquad y_b = A_b w, \qquad \operatorname{AdaIN}(x, w) =
y_s \cdot \frac{x - \mu(x)}{\sqrt{\sigma^2(x) + 10^{-8}}} + y_b ,$$
with $\mu$ and $\sigma^2$ the mean and the variance of each channel of each sample over its
$H \times W$ pixels (instance normalisation), and $y_s, y_b$ of $C$ numbers per sample. The "+ 1"
is the initial value of the scale's bias: with $w = 0$ the layer leaves the normalised features
as they are. `AdaIN(channels)` is called as `adain(x, w)` with $x$ $(B, H, W, C)$ and $w$
$(B, D)$; Keras's `Dense` layers (with `bias_initializer="ones"` for the scale) are fine for
$A_s$ and $A_b$.
""",
    r"""
## 由风格驱动的 AdaIN

第 5 章的 AdaIN 从风格图像的统计量中取得缩放和偏置。这里它们来自 $w$，经过一个学习到的仿射映射，
每层一个：对有 $C$ 个通道的特征 $x$，
$$y_s = A_s w + 1, \qquad y_b = A_b w, \qquad \operatorname{AdaIN}(x, w) =
y_s \cdot \frac{x - \mu(x)}{\sqrt{\sigma^2(x) + 10^{-8}}} + y_b ,$$
其中 $\mu$ 和 $\sigma^2$ 是每个样本的每个通道在其 $H \times W$ 个像素上的均值和方差（实例归一化），
$y_s, y_b$ 每个样本各有 $C$ 个数。"+ 1" 是缩放的偏置的初始值：$w = 0$ 时，这一层让归一化后的特征保持
原样。`AdaIN(channels)` 以 `adain(x, w)` 的方式调用，$x$ 为 $(B, H, W, C)$，$w$ 为 $(B, D)$；$A_s$ 和
$A_b$ 用 Keras 的 `Dense` 层即可（缩放的那个用 `bias_initializer="ones"`）。
""",
)

solution(
    "adain_modulation",
    r"""
class AdaIN(keras.layers.Layer):
    # adain(x, w): each channel of x normalised over its pixels, then scaled and shifted by
    # y_s = A_s w + 1 and y_b = A_b w

    def __init__(self, channels, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.channels = channels
        self.epsilon = epsilon
        ### BEGIN SOLUTION
        self.to_scale = keras.layers.Dense(channels, bias_initializer="ones")
        self.to_bias = keras.layers.Dense(channels)
        ### END SOLUTION

    def call(self, x, w):
        ### BEGIN SOLUTION
        mean = keras.ops.mean(x, axis=(1, 2), keepdims=True)
        variance = keras.ops.var(x, axis=(1, 2), keepdims=True)
        normalized = (x - mean) * keras.ops.rsqrt(variance + self.epsilon)
        scale = self.to_scale(w)[:, None, None, :]
        bias = self.to_bias(w)[:, None, None, :]
        return scale * normalized + bias
        ### END SOLUTION
""",
    2,
)

md(
    r"""
## Noise, with a learned strength per channel

Where exactly a curl of hair falls does not matter, as long as it looks random. StyleGAN adds a
fresh noise image to the features of every layer: **one** map $n$ of shape $(B, H, W, 1)$ drawn
from $\mathcal{N}(0, 1)$, shared by all channels, each channel scaling it by a learned
**strength** $s_c$:
$$x'_{b,h,w,c} = x_{b,h,w,c} + s_c \, n_{b,h,w} .$$
The strengths (a weight of shape $(C,)$) start at **zero**, so a new generator is deterministic
and learns how much randomness each channel wants. `noise_layer(x, noise)` uses the given map;
`noise_layer(x)` draws a new one at every call (`keras.random.normal` with a
`keras.random.SeedGenerator` of the layer's own, so that it works inside `tf.function`).
""",
    r"""
## 噪声，每个通道有一个学习到的强度

一缕卷发究竟落在哪里并不重要，只要它看起来是随机的。StyleGAN 给每一层的特征加上一张新的噪声图：**一张**
形状为 $(B, H, W, 1)$、从 $\mathcal{N}(0, 1)$ 抽取的图 $n$，所有通道共用，每个通道用一个学习到的
**强度** $s_c$ 来缩放它：
$$x'_{b,h,w,c} = x_{b,h,w,c} + s_c \, n_{b,h,w} .$$
强度（形状为 $(C,)$ 的权重）从**零**开始，所以新的生成器是确定性的，它自己学习每个通道需要多少随机性。
`noise_layer(x, noise)` 使用给定的噪声图；`noise_layer(x)` 每次调用时抽取一张新的（用
`keras.random.normal` 和层自己的 `keras.random.SeedGenerator`，这样在 `tf.function` 里也能工作）。
""",
)

solution(
    "noise_injection",
    r"""
class NoiseInjection(keras.layers.Layer):
    # noise_layer(x, noise=None): x + strength * noise, one (B, H, W, 1) map shared by the
    # channels; strength (C,) starts at zero; a fresh map is drawn when none is given

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator()

    def build(self, input_shape):
        ### BEGIN SOLUTION
        self.strength = self.add_weight(shape=(input_shape[-1],), initializer="zeros",
                                        name="strength")
        ### END SOLUTION

    def call(self, x, noise=None):
        ### BEGIN SOLUTION
        if noise is None:
            shape = keras.ops.shape(x)
            noise = keras.random.normal((shape[0], shape[1], shape[2], 1),
                                        seed=self.seed_generator)
        return x + self.strength * noise
        ### END SOLUTION
""",
    2,
)

md(
    r"""
## The synthesis network

`StyleGenerator(latent_dim, filters, channels)` is called as `generator(ws, noise=None)` with
`ws` of shape $(B, 8, D)$: one style per layer, `ws[:, i]` for layer $i$ (`broadcast_w(w)` gives
every layer the same $w$). Its eight layers, $i = 0, \dots, 7$, work at
`layer_resolution(i)` pixels: 4, 4, 8, 8, 16, 16, 32, 32.

- The input is a **learned constant** of shape $(1, 4, 4, F)$ ($F$ = `filters`), initialised to
  ones and trained like any weight, repeated for the $B$ samples. $z$ and $w$ never enter here.
- Layer 0 starts from the constant. Each later layer ($i \ge 1$) first upsamples by 2 (nearest
  neighbour) if $i$ is even, then applies a $3 \times 3$ convolution of $F$ filters ("same" padding, with bias).
- Then every layer, 0 included: its own `NoiseInjection` (given `noise[i]` when `noise` is a list
  of eight maps of shape $(B, r_i, r_i, 1)$, drawn otherwise), a LeakyReLU of slope 0.2, and its
  own `AdaIN(F)` with `ws[:, i]`.
- At the end, a $1 \times 1$ convolution to `channels` (with bias) and no activation: $(B, 32, 32,
  \text{channels})$.
""",
    r"""
## 合成网络

`StyleGenerator(latent_dim, filters, channels)` 以 `generator(ws, noise=None)` 的方式调用，`ws` 的形状为
$(B, 8, D)$：每层一个风格，第 $i$ 层用 `ws[:, i]`（`broadcast_w(w)` 让每一层都用同一个 $w$）。它的八层
$i = 0, \dots, 7$ 在 `layer_resolution(i)` 个像素上工作：4、4、8、8、16、16、32、32。

- 输入是一个形状为 $(1, 4, 4, F)$ 的**学习到的常量**（$F$ = `filters`），初始化为全 1，像任何权重一样被
  训练，并为 $B$ 个样本重复。$z$ 和 $w$ 都不从这里进入。
- 第 0 层从常量开始。之后的每一层（$i \ge 1$）：如果 $i$ 是偶数，先上采样 2 倍（最近邻），然后做一个有 $F$ 个滤波器的
  $3 \times 3$ 卷积（"same" 填充，带偏置）。
- 然后每一层（包括第 0 层）：它自己的 `NoiseInjection`（`noise` 是八张形状为 $(B, r_i, r_i, 1)$ 的噪声
  图组成的列表时用 `noise[i]`，否则抽取新的）、一个斜率 0.2 的 LeakyReLU，以及它自己的、用 `ws[:, i]`
  的 `AdaIN(F)`。
- 最后，一个到 `channels` 个通道、带偏置、不加激活的 $1 \times 1$ 卷积：$(B, 32, 32, \text{channels})$。
""",
)

solution(
    "style_generator",
    r"""
class StyleGenerator(keras.Model):
    # generator(ws, noise=None): ws (batch, NUM_STYLES, latent_dim) -> (batch, 32, 32, channels)

    def __init__(self, latent_dim=LATENT_DIM, filters=FILTERS, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.filters = filters
        self.channels = channels
        ### BEGIN SOLUTION
        self.constant = self.add_weight(shape=(1, 4, 4, filters), initializer="ones",
                                        name="constant")
        self.convs = [keras.layers.Conv2D(filters, 3, padding="same")
                      for _ in range(NUM_STYLES - 1)]
        self.noises = [NoiseInjection() for _ in range(NUM_STYLES)]
        self.adains = [AdaIN(filters) for _ in range(NUM_STYLES)]
        self.to_image = keras.layers.Conv2D(channels, 1)
        ### END SOLUTION

    def call(self, ws, noise=None):
        ### BEGIN SOLUTION
        x = keras.ops.repeat(self.constant, keras.ops.shape(ws)[0], axis=0)
        for i in range(NUM_STYLES):
            if i > 0:
                if i % 2 == 0:
                    x = keras.ops.repeat(keras.ops.repeat(x, 2, axis=1), 2, axis=2)
                x = self.convs[i - 1](x)
            x = self.noises[i](x, None if noise is None else noise[i])
            x = keras.ops.leaky_relu(x, LEAK)
            x = self.adains[i](x, ws[:, i])
        return self.to_image(x)
        ### END SOLUTION
""",
    3,
)

md(
    r"""
## Style mixing

Two latent codes give two styles $w_1$ and $w_2$. `mix_styles(w1, w2, crossover)` returns the
styles of all `num_styles` layers, shape $(B, \text{num\_styles}, D)$: layer $i$ takes $w_1$ when
$i < \text{crossover}$ and $w_2$ from the crossover on. A crossover of 0 is all $w_2$, one of
`num_styles` all $w_1$; `crossover` is a Python integer. With a crossover of 2, the item's
shape (decided at $4 \times 4$) comes from $w_1$ and everything finer from $w_2$. StyleGAN also
trains with mixed styles now and then, so that neighbouring layers do not lean on each other;
this notebook trains without it, and the mixing still works.
""",
    r"""
## 风格混合

两个隐编码给出两个风格 $w_1$ 和 $w_2$。`mix_styles(w1, w2, crossover)` 返回全部 `num_styles` 层的风格，
形状为 $(B, \text{num\_styles}, D)$：$i < \text{crossover}$ 时第 $i$ 层取 $w_1$，从交叉点开始取 $w_2$。
交叉点为 0 时全是 $w_2$，为 `num_styles` 时全是 $w_1$；`crossover` 是 Python 整数。交叉点为 2 时，物品的
形状（在 $4 \times 4$ 上决定）来自 $w_1$，更精细的一切来自 $w_2$。StyleGAN 训练时也会不时混合风格，使
相邻的层不互相依赖；这个笔记本训练时不这样做，混合仍然有效。
""",
)

solution(
    "style_mixing",
    r"""
def mix_styles(w1, w2, crossover, num_styles=NUM_STYLES):
    # (batch, latent) twice -> (batch, num_styles, latent): w1 for layers < crossover, w2 after
    ### BEGIN SOLUTION
    layers = keras.ops.reshape(keras.ops.arange(num_styles), (1, num_styles, 1))
    return keras.ops.where(layers < crossover, broadcast_w(w1, num_styles),
                           broadcast_w(w2, num_styles))
    ### END SOLUTION
""",
    2,
)

md(
    r"""
## The truncation trick

Rare $z$ give rare $w$, and the generator draws those worse: it has seen few of them. Pulling every
style toward the **mean style** $\bar{w}$,
$$w' = \bar{w} + \psi\,(w - \bar{w}),$$
trades variety for quality: $\psi = 1$ changes nothing, $\psi = 0$ gives every sample the mean
style, and values between keep the typical part of each $w$. The mean $\bar{w}$ is the mean of
$\mathcal{W}$, not of $\mathcal{Z}$: it is tracked during training as an exponential moving
average of the batches' mean styles,
$$\bar{w} \leftarrow \text{decay} \cdot \bar{w} + (1 - \text{decay}) \cdot \operatorname{mean}_b w_b .$$
`truncate(w, w_avg, psi)` takes $w$ of shape $(B, D)$ and $\bar{w}$ of shape $(D,)$;
`track_w_avg(w_avg, w, decay)` returns the new $\bar{w}$, shape $(D,)$.
""",
    r"""
## 截断技巧

少见的 $z$ 给出少见的 $w$，生成器把它们画得更差：它见过的这类样本很少。把每个风格拉向**平均风格**
$\bar{w}$，
$$w' = \bar{w} + \psi\,(w - \bar{w}),$$
就是用多样性换取质量：$\psi = 1$ 什么都不改变，$\psi = 0$ 让每个样本都取平均风格，介于两者之间的值保留
每个 $w$ 中典型的部分。平均值 $\bar{w}$ 是 $\mathcal{W}$ 的均值，而不是 $\mathcal{Z}$ 的：训练时把各批
风格的均值做指数滑动平均来跟踪它，
$$\bar{w} \leftarrow \text{decay} \cdot \bar{w} + (1 - \text{decay}) \cdot \operatorname{mean}_b w_b .$$
`truncate(w, w_avg, psi)` 的 $w$ 形状为 $(B, D)$，$\bar{w}$ 形状为 $(D,)$；
`track_w_avg(w_avg, w, decay)` 返回新的 $\bar{w}$，形状为 $(D,)$。
""",
)

solution(
    "truncation",
    r"""
def truncate(w, w_avg, psi):
    # w pulled toward the mean style: w_avg + psi * (w - w_avg)
    ### BEGIN SOLUTION
    return w_avg + psi * (w - w_avg)
    ### END SOLUTION


def track_w_avg(w_avg, w, decay=0.995):
    # the moving average of the mean style, updated with a batch of styles w (batch, latent)
    ### BEGIN SOLUTION
    return decay * w_avg + (1.0 - decay) * keras.ops.mean(w, axis=0)
    ### END SOLUTION
""",
    2,
)

md(
    r"""
## The critic, the loss and the training step

The critic is given: four convolutions down to $4 \times 4$ and a dense score (StyleGAN's own is
ProGAN's discriminator, which you wrote in the last notebook). The loss is the **non-saturating
logistic** loss of chapter 3, written with $\operatorname{softplus}(t) = \log(1 + e^t)$, and the
critic is kept smooth on the real images by the **$R_1$ penalty**, the squared norm of its
gradient there:
$$L_D = \operatorname{mean}\,\operatorname{softplus}\big(D(G(z))\big) +
\operatorname{mean}\,\operatorname{softplus}\big(-D(x)\big) +
\frac{\gamma}{2}\,\operatorname{mean}_b \big\lVert \nabla_x D(x_b) \big\rVert^2, \qquad
L_G = \operatorname{mean}\,\operatorname{softplus}\big(-D(G(z))\big),$$
with $G(z)$ the synthesis network fed `broadcast_w(mapping(z))`, $x$ the real images and $\gamma$
= `r1_gamma`. The norm of each sample's gradient is over all its pixels and channels; the mean is
over the batch.

`make_stylegan_step(mapping, generator, critic, g_optimizer, c_optimizer, r1_gamma)` returns
`step(real_images, critic_z, generator_z)`, which returns `(critic loss, generator loss)`:

1. the **critic** update: fakes from `critic_z`; $L_D$; the gradients applied by `c_optimizer` to
   the critic's trainable variables only;
2. the **generator** update: new fakes from `generator_z`; $L_G$; the gradients applied by
   `g_optimizer` to the trainable variables of the mapping network **and** of the synthesis
   network, together (the book's code leaves the mapping network out of the trained variables,
   so it never learns).

Call the three networks with `training=True`; a `tf.function` around `step` makes it fast.
""",
    r"""
## 评论家、损失和训练步骤

评论家已经给出：四个卷积缩小到 $4 \times 4$，再接一个全连接的分数（StyleGAN 自己用的是 ProGAN 的判别器，
你在上一个笔记本里写过）。损失是第 3 章的**非饱和 logistic** 损失，用 $\operatorname{softplus}(t) =
\log(1 + e^t)$ 写出；用 **$R_1$ 惩罚**，即评论家在真实图像处梯度的平方范数，让它在真实图像附近保持平滑：
$$L_D = \operatorname{mean}\,\operatorname{softplus}\big(D(G(z))\big) +
\operatorname{mean}\,\operatorname{softplus}\big(-D(x)\big) +
\frac{\gamma}{2}\,\operatorname{mean}_b \big\lVert \nabla_x D(x_b) \big\rVert^2, \qquad
L_G = \operatorname{mean}\,\operatorname{softplus}\big(-D(G(z))\big),$$
其中 $G(z)$ 是以 `broadcast_w(mapping(z))` 为输入的合成网络，$x$ 是真实图像，$\gamma$ = `r1_gamma`。
每个样本梯度的范数取遍它的所有像素和通道；均值取遍整个批。

`make_stylegan_step(mapping, generator, critic, g_optimizer, c_optimizer, r1_gamma)` 返回
`step(real_images, critic_z, generator_z)`，后者返回 `(评论家损失, 生成器损失)`：

1. **评论家**更新：由 `critic_z` 生成假图；$L_D$；由 `c_optimizer` 只把梯度应用到评论家的可训练变量上；
2. **生成器**更新：由 `generator_z` 生成新的假图；$L_G$；由 `g_optimizer` 把梯度一起应用到映射网络**和**
   合成网络的可训练变量上（书中的代码没有把映射网络放进被训练的变量里，所以它从不学习）。

调用这三个网络时传入 `training=True`；在 `step` 外面套一个 `tf.function` 会让它变快。
""",
)

code(
    r"""
def make_critic(filters=FILTERS, channels=1):
    # (batch, 32, 32, channels) -> (batch, 1): the score, higher for items it takes as real
    return keras.Sequential([
        keras.Input((32, 32, channels)),
        keras.layers.Conv2D(filters, 3, padding="same"),
        keras.layers.LeakyReLU(LEAK),
        keras.layers.Conv2D(filters, 4, strides=2, padding="same"),
        keras.layers.LeakyReLU(LEAK),
        keras.layers.Conv2D(2 * filters, 4, strides=2, padding="same"),
        keras.layers.LeakyReLU(LEAK),
        keras.layers.Conv2D(4 * filters, 4, strides=2, padding="same"),
        keras.layers.LeakyReLU(LEAK),
        keras.layers.Flatten(),
        keras.layers.Dense(1),
    ])
""",
    export=True,
)

solution(
    "stylegan_step",
    r"""
def make_stylegan_step(mapping, generator, critic, g_optimizer, c_optimizer, r1_gamma=R1_GAMMA):
    # step(real_images, critic_z, generator_z) -> (critic loss, generator loss)

    ### BEGIN SOLUTION
    def fakes(z):
        return generator(broadcast_w(mapping(z, training=True)), training=True)

    @tf.function
    def step(real_images, critic_z, generator_z):
        real_images = tf.convert_to_tensor(real_images, tf.float32)
        with tf.GradientTape() as tape:
            with tf.GradientTape() as r1_tape:
                r1_tape.watch(real_images)
                real_scores = critic(real_images, training=True)
                total = tf.reduce_sum(real_scores)
            slopes = r1_tape.gradient(total, real_images)
            r1 = tf.reduce_mean(tf.reduce_sum(tf.square(slopes), axis=[1, 2, 3]))
            fake_scores = critic(fakes(critic_z), training=True)
            c_loss = (tf.reduce_mean(tf.nn.softplus(fake_scores))
                      + tf.reduce_mean(tf.nn.softplus(-real_scores))
                      + 0.5 * r1_gamma * r1)
        variables = critic.trainable_variables
        c_optimizer.apply_gradients(zip(tape.gradient(c_loss, variables), variables, strict=True))
        with tf.GradientTape() as tape:
            g_loss = tf.reduce_mean(tf.nn.softplus(-critic(fakes(generator_z), training=True)))
        variables = mapping.trainable_variables + generator.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, variables), variables, strict=True))
        return c_loss, g_loss

    return step
    ### END SOLUTION
""",
    3,
)

md(
    r"""
## Training

Adam with rate $2 \cdot 10^{-3}$, $\beta_1 = 0$, $\beta_2 = 0.99$ for all three networks (the
mapping network's multiplier makes its own steps 100 times smaller), batches of 32. Quick mode
trains 800 steps (about a minute on two CPU cores), the full run 6,000 (about eight). The mean
style $\bar{w}$ is tracked after every step from the batch's styles.
""",
    r"""
## 训练

三个网络都用学习率 $2 \cdot 10^{-3}$、$\beta_1 = 0$、$\beta_2 = 0.99$ 的 Adam（映射网络的乘数让它自己的
步子小 100 倍），批大小 32。快速模式训练 800 步（在两个 CPU 核上约一分钟），完整运行 6,000 步（约八分钟）。
每一步之后用这一批的风格跟踪平均风格 $\bar{w}$。
""",
)

code(r"""
BATCH_SIZE = 32
STEPS = 800 if QUICK else 6_000
rng = np.random.default_rng(0)
keras.utils.set_random_seed(0)
mapping, generator, critic = MappingNetwork(), StyleGenerator(), make_critic()
g_optimizer = keras.optimizers.Adam(2e-3, beta_1=0.0, beta_2=0.99, epsilon=1e-8)
c_optimizer = keras.optimizers.Adam(2e-3, beta_1=0.0, beta_2=0.99, epsilon=1e-8)
step = make_stylegan_step(mapping, generator, critic, g_optimizer, c_optimizer)
w_avg = np.zeros(LATENT_DIM, np.float32)
history = []
start = time.perf_counter()
for _ in progress(range(STEPS), description="StyleGAN"):
    batch = real[rng.integers(0, len(real), BATCH_SIZE)]
    generator_z = rng.normal(size=(BATCH_SIZE, LATENT_DIM)).astype(np.float32)
    c_loss, g_loss = step(batch, rng.normal(size=(BATCH_SIZE, LATENT_DIM)).astype(np.float32),
                          generator_z)
    w_avg = np.asarray(track_w_avg(w_avg, mapping(generator_z)), np.float32)
    history.append((float(c_loss), float(g_loss)))
print(f"{STEPS} steps in {time.perf_counter() - start:.0f} s: critic {history[-1][0]:.3f}, "
      f"generator {history[-1][1]:.3f}")

losses = np.array(history)
fig, axes = plt.subplots(1, 2, figsize=(12, 3.5))
for axis, column, name in zip(axes, losses.T, ("critic", "generator"), strict=True):
    axis.plot(column, lw=0.5)
    axis.set_title(f"{name} loss")
    axis.set_xlabel("step")
plt.tight_layout()
plt.show()
""")

md(
    r"""
## How good are the items?

The evaluator of chapter 3 scores 1,000 items from $z \sim \mathcal{N}(0, I)$, untruncated: the
border cropped to $28 \times 28$, mapped to $[0, 1]$ and clipped.
""",
    r"""
## 物品生成得怎么样？

第 3 章的评估器给 1,000 个来自 $z \sim \mathcal{N}(0, I)$、未截断的物品打分：裁掉边框成为 $28 \times 28$，
映射到 $[0, 1]$ 并截断。
""",
)

code(r"""
def generate(mapping, generator, count, seed=0, batch=250):
    # count items from z ~ N(0, I), cropped to 28 x 28 and mapped to [0, 1]
    z = np.random.default_rng(seed).normal(size=(count, mapping.latent_dim)).astype(np.float32)
    images = np.concatenate([np.asarray(generator(broadcast_w(mapping(z[i:i + batch]))))
                             for i in range(0, count, batch)])
    return np.clip((images[:, 2:30, 2:30] + 1.0) / 2.0, 0.0, 1.0)


samples = generate(mapping, generator, 1000)
print(summarize(evaluate_samples(samples)))
plt.figure(figsize=(8, 8))
plt.imshow(image_grid(samples[:64]), cmap="gray")
plt.axis("off")
plt.show()
""")

md(
    r"""
## Mixing and truncating styles

The top row shows six styles $w_2$ alone. Each row below has a style $w_1$ of its own and takes
it for the layers before the crossover, the column's $w_2$ from the crossover on: with a crossover
of 2, $w_1$ decides the outline (the items of a row share it) and $w_2$ the shading and texture;
with 6, only the finest details come from $w_2$. Then one $z$ per column, its $w$ truncated with
$\psi$ from 1 down to 0: every column ends in the same mean item.
""",
    r"""
## 混合与截断风格

顶行是单独的六个风格 $w_2$。下面每一行有自己的风格 $w_1$，在交叉点之前的层用它，从交叉点开始用所在列的
$w_2$：交叉点为 2 时，$w_1$ 决定轮廓（同一行的物品共享它），$w_2$ 决定明暗和纹理；为 6 时，只有最精细的
细节来自 $w_2$。接着每列一个 $z$，它的 $w$ 按 $\psi$ 从 1 降到 0 截断：每一列最后都是同一个平均物品。
""",
)

code(r"""
mix_rng = np.random.default_rng(7)
w_rows = mapping(mix_rng.normal(size=(4, LATENT_DIM)).astype(np.float32))
w_columns = mapping(mix_rng.normal(size=(6, LATENT_DIM)).astype(np.float32))
fixed_noise = [np.zeros((6, layer_resolution(i), layer_resolution(i), 1), np.float32)
               for i in range(NUM_STYLES)]
for crossover in (2, 6):
    rows = [np.asarray(generator(broadcast_w(w_columns), noise=fixed_noise))]
    titles = ["top row: w2 alone"]
    for r in range(len(w_rows)):
        w1 = keras.ops.repeat(w_rows[r:r + 1], 6, axis=0)
        rows.append(np.asarray(generator(mix_styles(w1, w_columns, crossover), noise=fixed_noise)))
        titles.append(f"w1 of row {r + 1} before layer {crossover}, w2 after")
    show(rows, titles)

psis = [1.0, 0.75, 0.5, 0.25, 0.0]
w = mapping(np.random.default_rng(8).normal(size=(6, LATENT_DIM)).astype(np.float32))
show([np.asarray(generator(broadcast_w(truncate(w, w_avg, psi)), noise=fixed_noise))
      for psi in psis], [f"psi = {psi}" for psi in psis])
""")

md(
    r"""
### Hand in your trained networks

The given `StyleGAN` model holds the mapping network, the synthesis network and $\bar{w}$; the cell
below saves its weights and the settings it was built with next to this notebook. Submit both
files with the notebook: the check after it (part `trained_stylegan`) and the grader rebuild it
with `build_trained_stylegan` and measure 1,000 of its untruncated items with the evaluator. Their
Fréchet distance and the share of classes they cover must reach the course's bars in
`course_config.py`, set between an untrained generator's figures and quick mode's.
""",
    r"""
### 提交训练好的网络

给出的 `StyleGAN` 模型包含映射网络、合成网络和 $\bar{w}$；下面的单元格把它的权重和构建它所用的设置保存
在本笔记本旁边。把这两个文件和笔记本一起提交：它后面的检查（部分 `trained_stylegan`）和评分程序会用
`build_trained_stylegan` 重建它，并用评估器衡量它生成的 1,000 个未截断的物品。它们的 Fréchet 距离和覆盖
的类别比例必须达到 `course_config.py` 中课程的标准，这些标准定在未训练的生成器的结果和快速模式的结果之间。
""",
)

code(
    r"""
class StyleGAN(keras.Model):
    # z -> images through the mapping and synthesis networks; w_avg kept for truncation

    def __init__(self, mapping, generator, **kwargs):
        super().__init__(**kwargs)
        self.mapping = mapping
        self.generator = generator
        self.w_avg = self.add_weight(shape=(mapping.latent_dim,), initializer="zeros",
                                     trainable=False, name="w_avg")

    def call(self, z, psi=1.0, noise=None):
        w = self.mapping(z)
        if psi != 1.0:
            w = truncate(w, self.w_avg, psi)
        return self.generator(broadcast_w(w), noise=noise)


def build_trained_stylegan(latent_dim, filters, mapping_layers):
    # StyleGAN of your MappingNetwork and StyleGenerator, built, ready for load_weights
    model = StyleGAN(MappingNetwork(latent_dim=latent_dim, depth=mapping_layers),
                     StyleGenerator(latent_dim=latent_dim, filters=filters))
    model(np.zeros((1, latent_dim), np.float32))
    return model
""",
    export=True,
)

code(r"""
# The grader rebuilds the networks from these settings and measures their items.
trained = StyleGAN(mapping, generator)
trained(np.zeros((1, LATENT_DIM), np.float32))
trained.w_avg.assign(w_avg)
trained.save_weights("stylegan.weights.h5")
with open("stylegan.json", "w") as f:
    json.dump({"latent_dim": LATENT_DIM, "filters": FILTERS, "mapping_layers": MAPPING_LAYERS}, f)
print("saved stylegan.weights.h5 and stylegan.json")
""")

check("trained_stylegan", 2)

md(
    r"""
## Faces, with the internet

StyleGAN's faces are FFHQ's, $1024 \times 1024$, trained for a week on eight GPUs. The same
networks learn CelebA's aligned faces (in the course's catalog as `celeba`; `igcourse data fetch
celeba` says how to get them) at $64 \times 64$ on one GPU: give `StyleGenerator` `channels=3`
and two more layers (`NUM_STYLES = 10`), and `make_critic` one more strided convolution. The cell
below says whether CelebA is on this machine.
""",
    r"""
## 有网络时：人脸

StyleGAN 的人脸来自 FFHQ，$1024 \times 1024$，在八块 GPU 上训练了一周。同样的网络可以在一块 GPU 上学习
CelebA 对齐后的人脸（在课程数据目录中名为 `celeba`；`igcourse data fetch celeba` 会说明如何获取），
分辨率 $64 \times 64$：给 `StyleGenerator` 设 `channels=3` 并多加两层（`NUM_STYLES = 10`），给
`make_critic` 多加一个步长为 2 的卷积。下面的单元格说明本机上是否有 CelebA。
""",
)

code(r"""
from igcourse.data.errors import DataError
from igcourse.data.fetch import where

try:
    celeba_folder = where("celeba")
except DataError as error:
    celeba_folder = None
    print(f"CelebA catalog entry unavailable: {error}")
if celeba_folder is None:
    print("CelebA is not on this machine (no internet here, or not fetched yet): this notebook "
          "learnt Fashion-MNIST's items instead.")
else:
    print(f"CelebA found in {celeba_folder}: set channels=3 and NUM_STYLES=10 for its faces.")
""")

md(
    r"""
## Summary

- The mapping network turns $z$ into a style $w$; its learning-rate multiplier stores its
  kernels $1/\lambda$ times larger and scales them back at every call, so it learns slowly, and it
  is trained with the synthesis network.
- The synthesis network starts from a learned constant; every layer adds noise scaled by learned
  per-channel strengths and applies AdaIN with its own style.
- Because each layer has its own style, styles can be mixed at a crossover layer; the truncation
  trick pulls styles toward the tracked mean $\bar{w}$, trading variety for quality.
- The loss is the non-saturating logistic loss with the $R_1$ penalty on the real images.
""",
    r"""
## 小结

- 映射网络把 $z$ 变成风格 $w$；它的学习率乘数把核存储得大 $1/\lambda$ 倍，在每次调用时再缩放回来，
  所以它学得慢；它与合成网络一起训练。
- 合成网络从一个学习到的常量出发；每一层加上按学习到的逐通道强度缩放的噪声，并用自己的风格做 AdaIN。
- 因为每一层有自己的风格，风格可以在一个交叉层处混合；截断技巧把风格拉向跟踪得到的平均值 $\bar{w}$，
  用多样性换取质量。
- 损失是非饱和 logistic 损失，加上作用于真实图像的 $R_1$ 惩罚。
""",
)

count = book.write(sys.argv[1], "stylegan")
print("wrote", sys.argv[1], count, "cells")
