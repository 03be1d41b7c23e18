# ruff: noqa: E501 (the narrative: Chinese lines count double in width, wrapped by eye)
"""Writes source/ch07_face_generation/progan.ipynb (the master notebook of ProGAN).

Usage: python make_progan_nb.py source/ch07_face_generation/progan.ipynb
Each narrative cell is written here in English and in Chinese, side by side.
"""

import sys

from igcourse.authoring import MasterNotebook

CHAPTER = "ch07_face_generation"
book = MasterNotebook(CHAPTER)
md, code, solution, check = book.md, book.code, book.solution, book.check


md(
    r"""
# Chapter 7: Progressive growing of GANs (ProGAN)

A GAN asked for large, sharp images at once must learn everything together: the rough layout of a
face and the texture of its hair, from a discriminator that can tell fakes apart by any of them.
Karras, Aila, Laine and Lehtinen (*Progressive Growing of GANs for Improved Quality, Stability,
and Variation*, ICLR 2018) made the task easier by making it grow. Both networks start at
$4 \times 4$ pixels, where only the coarse layout exists; once they are stable there, a block of
layers is added to each, doubling the resolution, and so on up to $1024 \times 1024$. Each new
block is **faded in**: for a while the output is a blend of the old, upsampled picture and the new
block's, and the blend moves from the old to the new. ProGAN also brought three small pieces that
keep the game balanced without batch normalisation:

- **pixel normalisation** in the generator: every pixel's feature vector scaled to unit length;
- the **minibatch standard deviation** in the discriminator: how much the samples of a small
  group differ, given to the discriminator as one more channel, so that a generator that makes
  every sample alike is easy to catch;
- the **equalised learning rate**: weights drawn from $\mathcal{N}(0, 1)$ and scaled by He's
  constant at every call rather than once at initialisation, so that every layer learns at the
  same pace under Adam.

The loss is chapter 3's WGAN-GP with one addition, a small **drift** term that keeps the critic's
scores near zero. Here the faces are Fashion-MNIST's items, grown from $4 \times 4$ to
$32 \times 32$ on a laptop's CPU; the same code grows CelebA's faces on a GPU.

| part | what you write | points |
|---|---|---|
| `pixel_norm` | `PixelNorm(keras.layers.Layer)` | 1 |
| `minibatch_std` | `MinibatchStd(keras.layers.Layer)` | 2 |
| `equalized_layers` | `EqualizedDense`, `EqualizedConv2D` | 3 |
| `progan_generator` | `fade_in(alpha, old, new)`, `ProGenerator(keras.Model)` | 3 |
| `progan_discriminator` | `ProDiscriminator(keras.Model)` | 3 |
| `progan_losses` | `gradient_penalty`, `progan_critic_loss`, `progan_generator_loss` | 3 |
| `progan_step` | `make_progan_step(...)` | 2 |
| `trained_progan` | the trained generator, handed in (measured by the grader) | 2 |
""",
    r"""
# 第 7 章：渐进式增长的 GAN（ProGAN）

如果一开始就要求 GAN 生成又大又清晰的图像，它就得同时学会所有东西：从一张脸的大致布局到头发的纹理，而
判别器可以凭其中任何一点识破假图。Karras、Aila、Laine 和 Lehtinen（*Progressive Growing of GANs for
Improved Quality, Stability, and Variation*，ICLR 2018）让任务随网络一起增长，从而变得容易。两个网络
都从 $4 \times 4$ 像素开始，这时只有粗略的布局；在这个分辨率上稳定之后，给每个网络各加一个层块，分辨率
翻倍，如此一直到 $1024 \times 1024$。每个新层块都是**渐入**的：在一段时间里，输出是旧的（放大后的）图像
和新层块图像的混合，混合比例从旧的逐渐移到新的。ProGAN 还带来了三个小部件，不用批归一化也能让博弈保持
平衡：

- 生成器中的**像素归一化**：把每个像素的特征向量缩放到单位长度；
- 判别器中的**小批量标准差**：一小组样本之间相差多少，作为多出来的一个通道交给判别器，这样把每个样本都
  生成得一样的生成器很容易被抓住；
- **均衡学习率**：权重从 $\mathcal{N}(0, 1)$ 抽取，在每次调用时（而不是在初始化时一次性地）乘以 He 常数，
  这样在 Adam 下每一层都以相同的速度学习。

损失是第 3 章的 WGAN-GP，外加一个小小的**漂移**项，使评论家的分数保持在零附近。这里的"人脸"是
Fashion-MNIST 的物品，在笔记本电脑的 CPU 上从 $4 \times 4$ 长到 $32 \times 32$；同样的代码在 GPU 上可以
让 CelebA 的人脸长大。

| 部分 | 你要编写的内容 | 分值 |
|---|---|---|
| `pixel_norm` | `PixelNorm(keras.layers.Layer)` | 1 |
| `minibatch_std` | `MinibatchStd(keras.layers.Layer)` | 2 |
| `equalized_layers` | `EqualizedDense`、`EqualizedConv2D` | 3 |
| `progan_generator` | `fade_in(alpha, old, new)`、`ProGenerator(keras.Model)` | 3 |
| `progan_discriminator` | `ProDiscriminator(keras.Model)` | 3 |
| `progan_losses` | `gradient_penalty`、`progan_critic_loss`、`progan_generator_loss` | 3 |
| `progan_step` | `make_progan_step(...)` | 2 |
| `trained_progan` | 训练好的生成器，随笔记本提交（由评分程序衡量） | 2 |
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
# The layers, networks, losses and training step below use these libraries and sizes.
import math

import keras
import numpy as np
import tensorflow as tf

LATENT_DIM = 64  # z ~ N(0, I) of 64 numbers
FILTERS = 16  # the channels at 32 x 32; coarser stages have more (stage_filters)
STAGES = 4  # stage 0 is 4 x 4, stage 3 is 32 x 32
LEAK = 0.2  # the slope of every LeakyReLU
HE_GAIN = 1.4142135623730951  # sqrt(2): He's gain for layers followed by a LeakyReLU


def stage_resolution(stage):
    # stage 0: 4 x 4, each stage doubles it
    return 4 * 2**stage


def stage_filters(filters, stage):
    # the channels of a stage's block: 4F at 4 x 4 and 8 x 8, then 2F at 16 x 16, F at 32 x 32
    return filters * min(4, 2 ** (STAGES - 1 - stage))
""",
    export=True,
)

md(
    r"""
## The data at every resolution

Fashion-MNIST's items are $28 \times 28$; a black border of two pixels makes them $32 \times 32$,
a power of two, in $[-1, 1]$ with a channel axis. At stage $s$ the networks see images of
$4 \cdot 2^s$ pixels a side, the real ones averaged down to that size (`real_at`). While a new
stage fades in, the real images fade in too: they blend the coarser stage's picture, upsampled,
with the new one, by the same $\alpha$ as the generator, so that the critic cannot tell real from
fake by sharpness alone.
""",
    r"""
## 每个分辨率上的数据

Fashion-MNIST 的物品是 $28 \times 28$ 的；加上两个像素宽的黑边后是 $32 \times 32$，正好是 2 的幂，取值
在 $[-1, 1]$ 中并带通道轴。在第 $s$ 阶段，网络看到的图像每边 $4 \cdot 2^s$ 个像素，真实图像按平均缩小到
这个尺寸（`real_at`）。新阶段渐入时，真实图像也一起渐入：用与生成器相同的 $\alpha$，把上一阶段放大后的
图像和新的图像混合起来，这样评论家就不能单凭清晰度分辨真假。
""",
)

code(r"""
train_images, train_labels = load_fashion_mnist("train")
real = np.pad(train_images.astype(np.float32) / 127.5 - 1.0, ((0, 0), (2, 2), (2, 2)),
              constant_values=-1.0)[..., None]  # (60000, 32, 32, 1) in [-1, 1]


def shrink(images, size):
    # average pooling down to size x size
    n, full = len(images), images.shape[1]
    factor = full // size
    return images.reshape(n, size, factor, size, factor, -1).mean(axis=(2, 4))


def grow(images, size):
    # nearest-neighbour upsampling to size x size
    factor = size // images.shape[1]
    return images.repeat(factor, axis=1).repeat(factor, axis=2)


def real_at(images, stage, alpha=1.0):
    # the real images as the networks see them at `stage`, faded in by alpha
    size = stage_resolution(stage)
    new = shrink(images, size)
    if stage == 0 or alpha >= 1.0:
        return new
    old = grow(shrink(images, size // 2), size)
    return old + alpha * (new - old)


def show(rows, titles, size=2.0):
    # one row of images per entry of rows, each in [-1, 1]
    fig, axes = plt.subplots(len(rows), 1, figsize=(size * 4, size * len(rows)))
    for axis, images, title in zip(np.atleast_1d(axes), rows, titles, strict=True):
        axis.imshow(image_grid(np.clip((grow(images, 32) + 1) / 2, 0, 1), columns=len(images)),
                    cmap="gray")
        axis.set_title(title)
        axis.axis("off")
    plt.tight_layout()
    plt.show()


sample = real[:8]
show([real_at(sample, s) for s in range(STAGES)],
     [f"stage {s}: {stage_resolution(s)} x {stage_resolution(s)}" for s in range(STAGES)])
""")

md(
    r"""
## Pixel normalisation

Without batch normalisation, nothing stops the generator's features from growing without bound
when the two networks compete. ProGAN normalises every pixel's feature vector instead, after each
convolution of the generator:
$$b_{x,y} = \frac{a_{x,y}}{\sqrt{\frac{1}{C}\sum_{c=1}^{C} \left(a_{x,y}^{c}\right)^2 + \epsilon}}$$
with $C$ the number of channels and $\epsilon = 10^{-8}$. Each pixel is normalised on its own:
not over the batch (that would be batch normalisation), nor over the image. It has no weights.
""",
    r"""
## 像素归一化

没有批归一化时，两个网络相互竞争，没有什么能阻止生成器的特征无限增大。ProGAN 改为在生成器的每个卷积
之后归一化每个像素的特征向量：
$$b_{x,y} = \frac{a_{x,y}}{\sqrt{\frac{1}{C}\sum_{c=1}^{C} \left(a_{x,y}^{c}\right)^2 + \epsilon}}$$
其中 $C$ 是通道数，$\epsilon = 10^{-8}$。每个像素单独归一化：不是在批上（那就是批归一化了），也不是在
整张图像上。它没有权重。
""",
)

solution(
    "pixel_norm",
    r"""
class PixelNorm(keras.layers.Layer):
    # Each pixel's feature vector (the last axis) divided by its root mean square.

    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def call(self, x):
        ### BEGIN SOLUTION
        mean_square = keras.ops.mean(keras.ops.square(x), axis=-1, keepdims=True)
        return x * keras.ops.rsqrt(mean_square + self.epsilon)
        ### END SOLUTION
""",
    1,
)

md(
    r"""
## The minibatch standard deviation

A generator that makes the same item whatever $z$ says (mode collapse, chapter 3) fools a
discriminator that judges one image at a time. ProGAN lets the last block of the discriminator see
how varied the batch is. The layer takes features $(B, H, W, C)$ and:

1. splits the batch into groups of `group_size` **consecutive** samples (samples $0$ to $G-1$ form
   the first group; with a batch smaller than `group_size`, the whole batch is one group; the
   batch is otherwise a multiple of the group size);
2. takes, in every group, the standard deviation of each feature at each pixel over the group's
   samples: $\sqrt{\operatorname{Var} + \epsilon}$, the variance with divisor $G$ (the group's own
   mean, not the batch's) and $\epsilon = 10^{-8}$;
3. averages those over $H$, $W$ and $C$: one number per group;
4. appends that number as one more channel, the same at every pixel, to every sample of its group:
   $(B, H, W, C + 1)$.
""",
    r"""
## 小批量标准差

一个不管 $z$ 是什么都生成同一个物品的生成器（模式坍塌，第 3 章），可以骗过一次只看一张图像的判别器。
ProGAN 让判别器的最后一个层块看到这一批样本有多么不同。这个层接收特征 $(B, H, W, C)$，并且：

1. 把批分成由 `group_size` 个**相邻**样本组成的组（样本 $0$ 到 $G-1$ 是第一组；批比 `group_size` 小时，
   整批是一组；其他情况下批大小是组大小的倍数）；
2. 在每个组里，对每个像素上的每个特征，取组内样本的标准差：$\sqrt{\operatorname{Var} + \epsilon}$，
   方差的除数是 $G$（用组自己的均值，不是整批的），$\epsilon = 10^{-8}$；
3. 在 $H$、$W$ 和 $C$ 上取平均：每组一个数；
4. 把这个数作为多出来的一个通道（每个像素都相同）接到组内每个样本上：$(B, H, W, C + 1)$。
""",
)

solution(
    "minibatch_std",
    r"""
class MinibatchStd(keras.layers.Layer):
    # Appends the average standard deviation of each group of samples as one channel.

    def __init__(self, group_size=4, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.group_size = group_size
        self.epsilon = epsilon

    def call(self, x):
        ### BEGIN SOLUTION
        batch, height, width, channels = keras.ops.shape(x)
        group = min(self.group_size, batch)
        groups = keras.ops.reshape(x, (-1, group, height, width, channels))
        spread = keras.ops.sqrt(keras.ops.var(groups, axis=1) + self.epsilon)
        per_group = keras.ops.mean(spread, axis=(1, 2, 3))  # (B / G,)
        per_sample = keras.ops.repeat(per_group, group)  # (B,): consecutive samples share one
        channel = keras.ops.broadcast_to(
            keras.ops.reshape(per_sample, (-1, 1, 1, 1)), (batch, height, width, 1)
        )
        return keras.ops.concatenate([x, channel], axis=-1)
        ### END SOLUTION
""",
    2,
)

md(
    r"""
## The equalised learning rate

He's initialisation draws a layer's weights from $\mathcal{N}(0, 2 / n)$, with $n$ the layer's
fan-in (the inputs of one output: $k \cdot k \cdot C_{in}$ for a $k \times k$ convolution), so that
signals keep their scale from layer to layer. ProGAN draws the weights from $\mathcal{N}(0, 1)$
instead and multiplies them by $c = g / \sqrt{n}$ **in every call**, with gain $g = \sqrt{2}$. The
outputs are the same as He's at the start; what changes is training. Adam divides each update by a
running estimate of the gradient's scale, so every weight moves by about the learning rate per
step, whatever its size: a weight that lives near $0.01$ changes far faster, relative to its size,
than one near $1$. With every stored weight near $1$ and the scale applied at run time, every layer
learns at the same relative pace.

Write `EqualizedDense(units, gain=HE_GAIN)` and `EqualizedConv2D(filters, kernel_size=3,
gain=HE_GAIN)` (`HE_GAIN` is $\sqrt{2}$): in `build`, a `kernel` drawn from $\mathcal{N}(0, 1)$ (dense: $(n, \text{units})$;
convolution: $(k, k, C_{in}, \text{filters})$) and a `bias` of zeros, both trainable; in `call`,
`x @ (kernel * c) + bias` and the convolution of `x` with `kernel * c`, stride 1, `same`
padding, plus `bias`. No activation: the networks add their LeakyReLU.
""",
    r"""
## 均衡学习率

He 初始化从 $\mathcal{N}(0, 2 / n)$ 中抽取一层的权重，$n$ 是这一层的扇入（一个输出的输入个数：
$k \times k$ 卷积是 $k \cdot k \cdot C_{in}$），使信号在层与层之间保持尺度。ProGAN 则从 $\mathcal{N}(0, 1)$
中抽取权重，并在**每次调用时**乘以 $c = g / \sqrt{n}$，增益 $g = \sqrt{2}$。一开始的输出与 He 初始化的
相同；变化的是训练。Adam 用梯度尺度的滑动估计去除每次更新，所以不管权重多大，每一步大约移动一个学习率：
一个在 $0.01$ 附近的权重，相对于它的大小，变化比一个在 $1$ 附近的权重快得多。每个存下来的权重都在 $1$
附近、缩放在运行时乘上去，每一层就以相同的相对速度学习。

编写 `EqualizedDense(units, gain=HE_GAIN)` 和 `EqualizedConv2D(filters, kernel_size=3, gain=HE_GAIN)`
（`HE_GAIN` 即 $\sqrt{2}$）：
在 `build` 中创建从 $\mathcal{N}(0, 1)$ 抽取的 `kernel`（全连接：$(n, \text{units})$；卷积：
$(k, k, C_{in}, \text{filters})$）和全零的 `bias`，两者都可训练；在 `call` 中计算
`x @ (kernel * c) + bias`，以及 `x` 与 `kernel * c` 的卷积（步长 1，`same` 填充）加上 `bias`。不加激活：
网络自己加 LeakyReLU。
""",
)

solution(
    "equalized_layers",
    r"""
class EqualizedDense(keras.layers.Layer):
    # A dense layer whose N(0, 1) kernel is scaled by gain / sqrt(fan_in) at every call.

    def __init__(self, units, gain=HE_GAIN, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.gain = gain

    def build(self, input_shape):
        # self.kernel (fan_in, units) from N(0, 1), self.bias (units,) of zeros
        ### BEGIN SOLUTION
        fan_in = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(fan_in, self.units),
            initializer=keras.initializers.RandomNormal(0.0, 1.0),
            name="kernel",
        )
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
        self.scale = self.gain / math.sqrt(fan_in)
        ### END SOLUTION

    def call(self, x):
        # x @ (kernel * gain / sqrt(fan_in)) + bias
        ### BEGIN SOLUTION
        return keras.ops.matmul(x, self.kernel * self.scale) + self.bias
        ### END SOLUTION


class EqualizedConv2D(keras.layers.Layer):
    # A same-padded convolution whose N(0, 1) kernel is scaled by gain / sqrt(k * k * C_in).

    def __init__(self, filters, kernel_size=3, gain=HE_GAIN, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size
        self.gain = gain

    def build(self, input_shape):
        # self.kernel (k, k, C_in, filters) from N(0, 1), self.bias (filters,) of zeros
        ### BEGIN SOLUTION
        size, channels = self.kernel_size, input_shape[-1]
        self.kernel = self.add_weight(
            shape=(size, size, channels, self.filters),
            initializer=keras.initializers.RandomNormal(0.0, 1.0),
            name="kernel",
        )
        self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")
        self.scale = self.gain / math.sqrt(size * size * channels)
        ### END SOLUTION

    def call(self, x):
        # the stride-1, same-padded convolution with kernel * gain / sqrt(k * k * C_in), + bias
        ### BEGIN SOLUTION
        return keras.ops.conv(x, self.kernel * self.scale, padding="same") + self.bias
        ### END SOLUTION
""",
    3,
)

md(
    r"""
## The blocks, and fading a new one in

The generator grows by **blocks**: each doubles the resolution (nearest-neighbour upsampling) and
applies two $3 \times 3$ equalised convolutions, each followed by a LeakyReLU and pixel
normalisation. The discriminator's blocks mirror them: two convolutions, then $2 \times 2$ average
pooling. Both are given (`generator_block`, `discriminator_block`); they are built from your
layers.

A **to-RGB** layer turns a stage's features into an image: a $1 \times 1$ equalised convolution
with gain 1 and no activation, one per stage. A **from-RGB** layer does the reverse for the
discriminator: a $1 \times 1$ equalised convolution to the stage's channels and a LeakyReLU.

When stage $s$ is added, its block starts from random weights; switched on at once, it would throw
away what the networks learnt. So for a while the generator's output is a blend,
$$\text{image} = (1 - \alpha) \cdot \text{up}\big(\text{toRGB}_{s-1}(h)\big) + \alpha \cdot
\text{toRGB}_{s}\big(\text{block}_s(h)\big),$$
with $h$ the features of stage $s-1$ and $\alpha$ moving from 0 to 1. At $\alpha = 0$ the grown
generator makes exactly the old pictures, upsampled; at $\alpha = 1$ only the new block speaks.
`fade_in(alpha, old, new)` is that blend.
""",
    r"""
## 层块，以及让新层块渐入

生成器按**层块**增长：每个层块把分辨率翻倍（最近邻上采样），再做两次 $3 \times 3$ 的均衡卷积，每次后面
跟一个 LeakyReLU 和像素归一化。判别器的层块与之对称：两次卷积，然后 $2 \times 2$ 平均池化。两者都已给出
（`generator_block`、`discriminator_block`），它们由你写的层搭成。

**to-RGB** 层把一个阶段的特征变成图像：一个增益为 1、不加激活的 $1 \times 1$ 均衡卷积，每个阶段一个。
**from-RGB** 层为判别器做相反的事：一个到该阶段通道数的 $1 \times 1$ 均衡卷积，加一个 LeakyReLU。

加入第 $s$ 阶段时，它的层块从随机权重开始；如果立刻启用，网络学到的东西就会被丢掉。所以在一段时间里，
生成器的输出是一个混合：
$$\text{image} = (1 - \alpha) \cdot \text{up}\big(\text{toRGB}_{s-1}(h)\big) + \alpha \cdot
\text{toRGB}_{s}\big(\text{block}_s(h)\big),$$
其中 $h$ 是第 $s-1$ 阶段的特征，$\alpha$ 从 0 移到 1。$\alpha = 0$ 时，长大后的生成器恰好生成旧的图像
（放大后的）；$\alpha = 1$ 时，只有新层块在起作用。`fade_in(alpha, old, new)` 就是这个混合。
""",
)

code(
    r"""
def generator_block(filters):
    # doubles the resolution: upsample, then two (conv 3x3, LeakyReLU, pixel norm)
    return keras.Sequential([
        keras.layers.UpSampling2D(2),
        EqualizedConv2D(filters, 3),
        keras.layers.LeakyReLU(LEAK),
        PixelNorm(),
        EqualizedConv2D(filters, 3),
        keras.layers.LeakyReLU(LEAK),
        PixelNorm(),
    ])


def discriminator_block(filters_in, filters_out):
    # halves the resolution: two (conv 3x3, LeakyReLU), then 2x2 average pooling
    return keras.Sequential([
        EqualizedConv2D(filters_in, 3),
        keras.layers.LeakyReLU(LEAK),
        EqualizedConv2D(filters_out, 3),
        keras.layers.LeakyReLU(LEAK),
        keras.layers.AveragePooling2D(2),
    ])
""",
    export=True,
)

md(
    r"""
### The generator

Write `fade_in(alpha, old, new)` and the generator, `ProGenerator(latent_dim, filters,
channels)`, a `keras.Model` that holds the layers of **every** stage from its start and uses as
many as the stage asks for. With $F_s$ = `stage_filters(filters, s)`:

- the **base** (stage 0): pixel normalisation of $z$; `EqualizedDense(4 * 4 * F_0,
  gain=sqrt(2) / 4)`; reshape to $(4, 4, F_0)$; LeakyReLU; pixel normalisation; a $3 \times 3$
  `EqualizedConv2D(F_0)`; LeakyReLU; pixel normalisation;
- `generator_block(F_s)` for stages $s = 1, 2, 3$;
- a to-RGB layer per stage: `EqualizedConv2D(channels, 1, gain=1.0)`.

`generator(z, stage=s, alpha=a)` runs the base and the blocks of stages $1 \dots s$. At stage 0
it returns to-RGB$_0$ of the base; at stage $s > 0$ it returns `fade_in(alpha, old, new)`, with
`old` the to-RGB of stage $s - 1$ on the features before block $s$, upsampled to the new size
(nearest neighbour, as the block does), and `new` to-RGB$_s$ of block $s$'s output. The images
are $(B, 4 \cdot 2^s, 4 \cdot 2^s, \text{channels})$, linear (no tanh, as in the paper). Call
layers with `keras.layers`' own calls: `stage` is a Python int, `alpha` a float or a scalar
tensor, and Keras wants them both as keyword arguments.

Because a stage's layers are the same objects at every later stage, growing keeps every trained
weight: stage 2's model is stage 1's plus one block and one to-RGB layer.
""",
    r"""
### 生成器

编写 `fade_in(alpha, old, new)` 和生成器 `ProGenerator(latent_dim, filters, channels)`：一个
`keras.Model`，从一开始就持有**每个**阶段的层，并按阶段的要求用其中的一部分。记
$F_s$ = `stage_filters(filters, s)`：

- **基础部分**（第 0 阶段）：对 $z$ 做像素归一化；`EqualizedDense(4 * 4 * F_0, gain=sqrt(2) / 4)`；
  变形为 $(4, 4, F_0)$；LeakyReLU；像素归一化；一个 $3 \times 3$ 的 `EqualizedConv2D(F_0)`；LeakyReLU；
  像素归一化；
- 第 $s = 1, 2, 3$ 阶段各一个 `generator_block(F_s)`；
- 每个阶段一个 to-RGB 层：`EqualizedConv2D(channels, 1, gain=1.0)`。

`generator(z, stage=s, alpha=a)` 运行基础部分和第 $1 \dots s$ 阶段的层块。在第 0 阶段它返回基础部分的
to-RGB$_0$；在第 $s > 0$ 阶段它返回 `fade_in(alpha, old, new)`，其中 `old` 是第 $s - 1$ 阶段的
to-RGB 作用在第 $s$ 个层块之前的特征上、再放大到新尺寸（最近邻，与层块相同），`new` 是 to-RGB$_s$
作用在第 $s$ 个层块的输出上。图像的形状是 $(B, 4 \cdot 2^s, 4 \cdot 2^s, \text{channels})$，线性输出
（不加 tanh，与论文相同）。`stage` 是 Python 整数，`alpha` 是浮点数或标量张量，Keras 要求两者都以关键字
参数传入。

因为一个阶段的层在之后的每个阶段都是同一批对象，所以增长会保留每一个训练好的权重：第 2 阶段的模型就是
第 1 阶段的模型加一个层块和一个 to-RGB 层。
""",
)

solution(
    "progan_generator",
    r"""
def fade_in(alpha, old, new):
    # (1 - alpha) * old + alpha * new
    ### BEGIN SOLUTION
    return old + alpha * (new - old)
    ### END SOLUTION


class ProGenerator(keras.Model):
    # z (B, latent_dim) -> images (B, 4 * 2**stage, 4 * 2**stage, channels), faded in by alpha.

    def __init__(self, latent_dim=LATENT_DIM, filters=FILTERS, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        ### BEGIN SOLUTION
        first = stage_filters(filters, 0)
        self.base = keras.Sequential([
            PixelNorm(),
            EqualizedDense(4 * 4 * first, gain=HE_GAIN / 4),
            keras.layers.Reshape((4, 4, first)),
            keras.layers.LeakyReLU(LEAK),
            PixelNorm(),
            EqualizedConv2D(first, 3),
            keras.layers.LeakyReLU(LEAK),
            PixelNorm(),
        ])
        self.blocks = [generator_block(stage_filters(filters, s)) for s in range(1, STAGES)]
        self.to_rgb = [EqualizedConv2D(channels, 1, gain=1.0) for _ in range(STAGES)]
        self.upsample = keras.layers.UpSampling2D(2)
        ### END SOLUTION

    def build(self, input_shape):
        # nothing to create here: each stage's layers build themselves on their first call
        pass

    def call(self, z, stage=STAGES - 1, alpha=1.0):
        ### BEGIN SOLUTION
        features = self.base(z)
        if stage == 0:
            return self.to_rgb[0](features)
        for block in self.blocks[: stage - 1]:
            features = block(features)
        old = self.upsample(self.to_rgb[stage - 1](features))
        new = self.to_rgb[stage](self.blocks[stage - 1](features))
        return fade_in(alpha, old, new)
        ### END SOLUTION
""",
    3,
)

code(r"""
keras.utils.set_random_seed(1)
demo = ProGenerator()
z = np.random.default_rng(0).normal(size=(6, LATENT_DIM)).astype(np.float32)
rows = [np.asarray(demo(z, stage=s)) for s in range(STAGES)]
print("image shapes by stage:", [r.shape[1:] for r in rows])
blend = [np.asarray(demo(z[:1], stage=2, alpha=a))[0] for a in np.linspace(0.0, 1.0, 6)]
gap = np.abs(np.asarray(demo(z, stage=2, alpha=0.0)) - grow(rows[1], 16)).max()
print(f"stage 2 at alpha 0 against stage 1 upsampled: largest difference {gap:.2e}")
show([np.stack(blend)], ["an untrained generator's stage 2 fading in: alpha 0, 0.2, ..., 1"])
""")

md(
    r"""
### The discriminator

`ProDiscriminator(filters, group_size)` mirrors the generator, from the image down:

- a from-RGB layer per stage: `EqualizedConv2D(F_s, 1)` and a LeakyReLU;
- `discriminator_block(F_s, F_{s-1})` for stages $s = 1, 2, 3$: it takes $4 \cdot 2^s$ pixels
  with $F_s$ channels to half that size with $F_{s-1}$;
- the **base** at $4 \times 4$: `MinibatchStd(group_size)`; a $3 \times 3$
  `EqualizedConv2D(F_0)`; LeakyReLU; flatten; `EqualizedDense(F_0)`; LeakyReLU;
  `EqualizedDense(1, gain=1.0)`: one score per image, $(B, 1)$, no activation (a critic).

`discriminator(images, stage=s, alpha=a)` reads images of stage $s$'s size. At stage 0: the base
on from-RGB$_0$. At $s > 0$: `new` is block $s$ on from-RGB$_s$ of the images, `old` is
from-RGB$_{s-1}$ of the images average-pooled to half size, the blend `fade_in(alpha, old, new)`
goes through blocks $s-1, \dots, 1$ and then the base. At $\alpha = 0$ the grown discriminator
scores exactly as the old one scores the half-size images.
""",
    r"""
### 判别器

`ProDiscriminator(filters, group_size)` 与生成器对称，从图像往下：

- 每个阶段一个 from-RGB 层：`EqualizedConv2D(F_s, 1)` 加一个 LeakyReLU；
- 第 $s = 1, 2, 3$ 阶段各一个 `discriminator_block(F_s, F_{s-1})`：它把 $4 \cdot 2^s$ 像素、
  $F_s$ 通道的输入变成一半大小、$F_{s-1}$ 通道；
- $4 \times 4$ 上的**基础部分**：`MinibatchStd(group_size)`；一个 $3 \times 3$ 的 `EqualizedConv2D(F_0)`；
  LeakyReLU；展平；`EqualizedDense(F_0)`；LeakyReLU；`EqualizedDense(1, gain=1.0)`：每张图像一个分数
  $(B, 1)$，不加激活（这是评论家）。

`discriminator(images, stage=s, alpha=a)` 读取第 $s$ 阶段尺寸的图像。第 0 阶段：基础部分作用在
from-RGB$_0$ 上。$s > 0$ 时：`new` 是第 $s$ 个层块作用在图像的 from-RGB$_s$ 上，`old` 是图像平均池化到
一半大小后的 from-RGB$_{s-1}$，混合 `fade_in(alpha, old, new)` 依次经过第 $s-1, \dots, 1$ 个层块，再经过
基础部分。$\alpha = 0$ 时，长大后的判别器给出的分数，恰好是旧判别器给一半大小的图像打的分数。
""",
)

solution(
    "progan_discriminator",
    r"""
class ProDiscriminator(keras.Model):
    # images (B, 4 * 2**stage, 4 * 2**stage, C) -> scores (B, 1), faded in by alpha.

    def __init__(self, filters=FILTERS, group_size=4, **kwargs):
        super().__init__(**kwargs)
        ### BEGIN SOLUTION
        widths = [stage_filters(filters, s) for s in range(STAGES)]
        self.from_rgb = [
            keras.Sequential([EqualizedConv2D(width, 1), keras.layers.LeakyReLU(LEAK)])
            for width in widths
        ]
        self.blocks = [discriminator_block(widths[s], widths[s - 1]) for s in range(1, STAGES)]
        self.base = keras.Sequential([
            MinibatchStd(group_size),
            EqualizedConv2D(widths[0], 3),
            keras.layers.LeakyReLU(LEAK),
            keras.layers.Flatten(),
            EqualizedDense(widths[0]),
            keras.layers.LeakyReLU(LEAK),
            EqualizedDense(1, gain=1.0),
        ])
        self.downsample = keras.layers.AveragePooling2D(2)
        ### END SOLUTION

    def build(self, input_shape):
        # nothing to create here: each stage's layers build themselves on their first call
        pass

    def call(self, images, stage=STAGES - 1, alpha=1.0):
        ### BEGIN SOLUTION
        features = self.from_rgb[stage](images)
        if stage > 0:
            new = self.blocks[stage - 1](features)
            old = self.from_rgb[stage - 1](self.downsample(images))
            features = fade_in(alpha, old, new)
            for block in reversed(self.blocks[: stage - 1]):
                features = block(features)
        return self.base(features)
        ### END SOLUTION
""",
    3,
)

md(
    r"""
## The loss: WGAN-GP and the drift term

ProGAN trains its critic $D$ with chapter 3's WGAN-GP loss plus a small term that keeps real scores
from drifting far from zero (the Wasserstein loss only sees differences of scores, so both could
wander off together):
$$L_D = \mathbb{E}[D(\tilde x)] - \mathbb{E}[D(x)] + \lambda \, \mathbb{E}\Big[\big(\lVert
\nabla_{\hat x} D(\hat x) \rVert_2 - 1\big)^2\Big] + \epsilon_{\text{drift}} \, \mathbb{E}[D(x)^2],$$
with $\lambda = 10$ and $\epsilon_{\text{drift}} = 0.001$, and the generator with
$L_G = -\mathbb{E}[D(\tilde x)]$. The penalty is taken at $\hat x_i = \epsilon_i x_i + (1 -
\epsilon_i) \tilde x_i$, one $\epsilon_i$ per sample, and the norm is **each sample's own**: the
gradient with respect to $\hat x_i$, over its pixels and channels. (The book's code squared a
list of gradients and summed over the batch as well, one norm for the whole batch; and it took
the gradient of the batch's mean score, which divides every gradient by $B$.)

Because the minibatch standard deviation lets one sample's score depend on its group, the critic
takes the mixed batch as a whole: `score_fn(mixed)` returns $(B, 1)$ and the gradient you want is
that of the **sum** of the scores with respect to `mixed` (what `tape.gradient(scores, mixed)`
gives).

- `gradient_penalty(score_fn, real_images, fake_images, epsilon)`: the mean over samples of
  $(\lVert g_i \rVert_2 - 1)^2$, unweighted, for `epsilon` of shape $(B, 1, 1, 1)$;
- `progan_critic_loss(real_scores, fake_scores, penalty, gp_weight=10.0, drift_weight=0.001)`:
  $L_D$ from the scores and a penalty already computed;
- `progan_generator_loss(fake_scores)`: $L_G$.
""",
    r"""
## 损失：WGAN-GP 和漂移项

ProGAN 用第 3 章的 WGAN-GP 损失训练评论家 $D$，再加一个小项，防止真实图像的分数离零太远（Wasserstein
损失只看分数之差，所以两者可能一起漂走）：
$$L_D = \mathbb{E}[D(\tilde x)] - \mathbb{E}[D(x)] + \lambda \, \mathbb{E}\Big[\big(\lVert
\nabla_{\hat x} D(\hat x) \rVert_2 - 1\big)^2\Big] + \epsilon_{\text{drift}} \, \mathbb{E}[D(x)^2],$$
其中 $\lambda = 10$，$\epsilon_{\text{drift}} = 0.001$；生成器用 $L_G = -\mathbb{E}[D(\tilde x)]$。惩罚在
$\hat x_i = \epsilon_i x_i + (1 - \epsilon_i) \tilde x_i$ 处计算，每个样本一个 $\epsilon_i$，范数是**每个样本
自己的**：对 $\hat x_i$ 的梯度，在它的像素和通道上取范数。（书中的代码对梯度列表取平方后连批也一起求和，
整批只有一个范数；而且它取的是批平均分数的梯度，每个梯度都被除以了 $B$。）

因为小批量标准差让一个样本的分数依赖于它所在的组，评论家要整批地读取混合样本：`score_fn(mixed)` 返回
$(B, 1)$，你要的梯度是分数之**和**对 `mixed` 的梯度（`tape.gradient(scores, mixed)` 给出的就是它）。

- `gradient_penalty(score_fn, real_images, fake_images, epsilon)`：在样本上对 $(\lVert g_i \rVert_2 - 1)^2$
  取平均，不乘权重，`epsilon` 的形状是 $(B, 1, 1, 1)$；
- `progan_critic_loss(real_scores, fake_scores, penalty, gp_weight=10.0, drift_weight=0.001)`：由分数和
  已经算好的惩罚得到 $L_D$；
- `progan_generator_loss(fake_scores)`：$L_G$。
""",
)

solution(
    "progan_losses",
    r"""
def gradient_penalty(score_fn, real_images, fake_images, epsilon):
    # mean_i (||d sum(score_fn(mixed)) / d mixed_i|| - 1)^2, mixed = eps * real + (1 - eps) * fake
    ### BEGIN SOLUTION
    real_images = tf.convert_to_tensor(real_images, tf.float32)
    fake_images = tf.convert_to_tensor(fake_images, tf.float32)
    mixed = epsilon * real_images + (1.0 - epsilon) * fake_images
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = score_fn(mixed)
    gradients = tape.gradient(scores, mixed)  # of the sum of the scores: (B, H, W, C)
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]) + 1e-12)
    return tf.reduce_mean(tf.square(norms - 1.0))
    ### END SOLUTION


def progan_critic_loss(real_scores, fake_scores, penalty, gp_weight=10.0, drift_weight=0.001):
    # mean(fake) - mean(real) + gp_weight * penalty + drift_weight * mean(real ** 2)
    ### BEGIN SOLUTION
    wasserstein = keras.ops.mean(fake_scores) - keras.ops.mean(real_scores)
    drift = keras.ops.mean(keras.ops.square(real_scores))
    return wasserstein + gp_weight * penalty + drift_weight * drift
    ### END SOLUTION


def progan_generator_loss(fake_scores):
    # -mean(fake)
    ### BEGIN SOLUTION
    return -keras.ops.mean(fake_scores)
    ### END SOLUTION
""",
    3,
)

md(
    r"""
## The training step

`make_progan_step(generator, critic, g_optimizer, c_optimizer, stage)` returns a `tf.function`
`step(real_images, critic_z, generator_z, epsilon, alpha)` that returns `(critic loss, generator
loss)` and makes, in this order:

1. **one critic update** (ProGAN trains the critic once per generator step): fakes from
   `critic_z`; the critic's scores of the real images and of the fakes; the penalty on
   `epsilon`'s mixes of the two (`gradient_penalty` with a `score_fn` that calls the critic);
   `progan_critic_loss` with its default weights; the gradient with respect to the critic's
   trainable variables, applied by `c_optimizer`;
2. **one generator update**: fakes from `generator_z`, scored by the critic (after its update),
   `progan_generator_loss`, applied by `g_optimizer` to the generator's trainable variables only.

Both networks are called with `stage=stage, alpha=alpha, training=True`. A new step is made for
each stage (the stage is fixed inside it), with new optimisers: Keras 3's optimisers know the
variables they were first given, and each stage brings new ones. At a later stage the to-RGB and
from-RGB layers of the stages before the last one take no part, so their gradients are `None`:
hand the optimisers only the pairs that have a gradient (Keras warns about the others).
""",
    r"""
## 训练步骤

`make_progan_step(generator, critic, g_optimizer, c_optimizer, stage)` 返回一个 `tf.function`
`step(real_images, critic_z, generator_z, epsilon, alpha)`，它返回 `(评论家损失, 生成器损失)`，并按以下
顺序：

1. **更新一次评论家**（ProGAN 每个生成器步骤只训练一次评论家）：由 `critic_z` 生成假图像；评论家对真实
   图像和假图像打分；在两者按 `epsilon` 混合的样本上计算惩罚（`gradient_penalty`，其 `score_fn` 调用
   评论家）；用默认权重计算 `progan_critic_loss`；对评论家的可训练变量求梯度，由 `c_optimizer` 应用；
2. **更新一次生成器**：由 `generator_z` 生成假图像，由（更新后的）评论家打分，计算
   `progan_generator_loss`，由 `g_optimizer` 只应用到生成器的可训练变量上。

两个网络都以 `stage=stage, alpha=alpha, training=True` 调用。每个阶段新建一个步骤（阶段在其中固定），
并配新的优化器：Keras 3 的优化器只认识它第一次拿到的那些变量，而每个阶段都会带来新的变量。在后面的
阶段中，更早阶段的 to-RGB 和 from-RGB 层不参与计算，它们的梯度是 `None`：只把有梯度的那些（梯度, 变量）
对交给优化器（对其余的，Keras 会发出警告）。
""",
)

solution(
    "progan_step",
    r"""
def make_progan_step(generator, critic, g_optimizer, c_optimizer, stage):
    # step(real_images, critic_z, generator_z, epsilon, alpha) -> (critic loss, generator loss)

    ### BEGIN SOLUTION
    def used(gradients, variables):
        # earlier stages' to-RGB / from-RGB layers get no gradient at a later stage
        return [(g, v) for g, v in zip(gradients, variables, strict=True) if g is not None]

    def score(images, alpha):
        return critic(images, stage=stage, alpha=alpha, training=True)

    @tf.function
    def step(real_images, critic_z, generator_z, epsilon, alpha):
        with tf.GradientTape() as tape:
            fake_images = generator(critic_z, stage=stage, alpha=alpha, training=True)
            penalty = gradient_penalty(
                lambda mixed: score(mixed, alpha), real_images, fake_images, epsilon
            )
            c_loss = progan_critic_loss(
                score(real_images, alpha), score(fake_images, alpha), penalty
            )
        c_optimizer.apply_gradients(used(tape.gradient(c_loss, critic.trainable_variables),
                                         critic.trainable_variables))
        with tf.GradientTape() as tape:
            fake_images = generator(generator_z, stage=stage, alpha=alpha, training=True)
            g_loss = progan_generator_loss(score(fake_images, alpha))
        variables = generator.trainable_variables  # the critic is left alone here
        g_optimizer.apply_gradients(used(tape.gradient(g_loss, variables), variables))
        return c_loss, g_loss

    return step
    ### END SOLUTION
""",
    2,
)

md(
    r"""
## Growing the networks

The schedule: stage 0 trains at $4 \times 4$; every later stage first **fades in** (its $\alpha$
rising linearly from 0 to 1 over the phase's steps) and then trains **stable** at $\alpha = 1$.
Adam with rate $10^{-3}$, $\beta_1 = 0$, $\beta_2 = 0.99$ and $\epsilon = 10^{-8}$, the paper's,
new for each stage; batches of 32. Quick mode takes 250 steps per phase (about two minutes on two
CPU cores), the full run 3,000 (about 25 minutes). The pictures after each stage use the same
eight $z$: watch the items keep their layout as they sharpen.
""",
    r"""
## 让网络长大

训练计划：第 0 阶段在 $4 \times 4$ 上训练；之后的每个阶段先**渐入**（它的 $\alpha$ 在这一段的步数里从 0
线性升到 1），再在 $\alpha = 1$ 下**稳定**训练。优化器用论文中的 Adam：学习率 $10^{-3}$，$\beta_1 = 0$，
$\beta_2 = 0.99$，$\epsilon = 10^{-8}$，每个阶段新建；批大小 32。快速模式每段 250 步（在两个 CPU 核上约两
分钟），完整运行每段 3,000 步（约 25 分钟）。每个阶段之后的图像用同样的八个 $z$：看物品在变清晰的同时
保持它们的布局。
""",
)

code(r"""
BATCH_SIZE = 32
STEPS_PER_PHASE = 250 if QUICK else 3_000
rng = np.random.default_rng(0)
keras.utils.set_random_seed(0)
generator, critic = ProGenerator(), ProDiscriminator()
fixed_z = rng.normal(size=(8, LATENT_DIM)).astype(np.float32)
history, snapshots = [], []
start = time.perf_counter()
for stage in range(STAGES):
    g_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.99, epsilon=1e-8)
    c_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.99, epsilon=1e-8)
    step = make_progan_step(generator, critic, g_optimizer, c_optimizer, stage)
    phases = ["stable"] if stage == 0 else ["fade-in", "stable"]
    for phase in phases:
        size = stage_resolution(stage)
        for i in progress(range(STEPS_PER_PHASE), description=f"{size}x{size} {phase}"):
            alpha = (i + 1) / STEPS_PER_PHASE if phase == "fade-in" else 1.0
            batch = real_at(real[rng.integers(0, len(real), BATCH_SIZE)], stage, alpha)
            c_loss, g_loss = step(
                batch,
                rng.normal(size=(BATCH_SIZE, LATENT_DIM)).astype(np.float32),
                rng.normal(size=(BATCH_SIZE, LATENT_DIM)).astype(np.float32),
                rng.uniform(size=(BATCH_SIZE, 1, 1, 1)).astype(np.float32),
                np.float32(alpha),
            )
            history.append((stage, phase, float(c_loss), float(g_loss)))
    snapshots.append(np.asarray(generator(fixed_z, stage=stage)))
    print(f"stage {stage} ({size}x{size}) done: critic {float(c_loss):+.3f}, "
          f"generator {float(g_loss):+.3f}, {time.perf_counter() - start:.0f} s")
show(snapshots, [f"after stage {s}: {stage_resolution(s)} x {stage_resolution(s)}"
                 for s in range(STAGES)])
""")

code(r"""
c_losses = np.array([h[2] for h in history])
g_losses = np.array([h[3] for h in history])
fig, axes = plt.subplots(1, 2, figsize=(12, 3.5))
for axis, losses, name in zip(axes, (c_losses, g_losses), ("critic", "generator"), strict=True):
    axis.plot(losses, lw=0.5)
    edges = np.cumsum([STEPS_PER_PHASE] * (2 * STAGES - 1))[:-1]
    for edge in edges:
        axis.axvline(edge, color="grey", lw=0.5, ls=":")
    axis.set_title(f"{name} loss (dotted: a new phase)")
    axis.set_xlabel("step")
plt.tight_layout()
plt.show()
""")

md(
    r"""
## How good are the items?

The course's evaluator (chapter 3) scores $28 \times 28$ images in $[0, 1]$: crop the two-pixel
border off, map $[-1, 1]$ to $[0, 1]$ and clip (the generator's output is linear, so a few
pixels fall outside). A Fréchet distance near chapter 3's DCGAN and every class covered say the
growing worked.
""",
    r"""
## 物品生成得怎么样？

课程的评估器（第 3 章）给 $[0, 1]$ 中 $28 \times 28$ 的图像打分：裁掉两个像素的边框，把 $[-1, 1]$ 映射到
$[0, 1]$ 并截断（生成器的输出是线性的，有少数像素会落在范围之外）。Fréchet 距离接近第 3 章的 DCGAN、
每个类别都覆盖到，就说明增长是成功的。
""",
)

code(r"""
def generate(generator, count, seed=0, batch=250):
    # count items from z ~ N(0, I), cropped to 28 x 28 and mapped to [0, 1]
    z = np.random.default_rng(seed).normal(size=(count, generator.latent_dim)).astype(np.float32)
    images = np.concatenate([np.asarray(generator(z[i:i + batch], stage=STAGES - 1))
                             for i in range(0, count, batch)])
    return np.clip((images[:, 2:30, 2:30] + 1.0) / 2.0, 0.0, 1.0)


samples = generate(generator, 1000)
print(summarize(evaluate_samples(samples)))
plt.figure(figsize=(8, 8))
plt.imshow(image_grid(samples[:64]), cmap="gray")
plt.axis("off")
plt.show()
""")

md(
    r"""
### Hand in your trained generator

The cell below saves the trained generator's weights and the settings it was built with next to
this notebook. Submit both files with the notebook: the check after it (part `trained_progan`)
and the grader rebuild the generator with the given `build_trained_generator` (your
`ProGenerator`, called once at every stage so that each stage's layers exist) and measure 1,000
of its $32 \times 32$ items with the evaluator. Its Fréchet distance and the share of classes it
covers must reach the course's bars in `course_config.py`, set between an untrained generator's
figures and quick mode's.
""",
    r"""
### 提交训练好的生成器

下面的单元格把训练好的生成器的权重和构建它所用的设置保存在本笔记本旁边。把这两个文件和笔记本一起提交：
它后面的检查（部分 `trained_progan`）和评分程序会用给出的 `build_trained_generator`（你的
`ProGenerator`，在每个阶段调用一次，使每个阶段的层都存在）重建生成器，并用评估器衡量它生成的 1,000 个
$32 \times 32$ 物品。它的 Fréchet 距离和覆盖的类别比例必须达到 `course_config.py` 中课程的标准，这些标准
定在未训练的生成器的结果和快速模式的结果之间。
""",
)

code(
    r"""
def build_trained_generator(latent_dim, filters, stage):
    # ProGenerator with every stage's layers built up to `stage`, ready for load_weights
    generator = ProGenerator(latent_dim=latent_dim, filters=filters)
    z = np.zeros((1, latent_dim), np.float32)
    for s in range(stage + 1):
        generator(z, stage=s)
    return generator
""",
    export=True,
)

code(r"""
# The grader rebuilds the generator from these settings and measures its items.
generator.save_weights("progan_generator.weights.h5")
with open("progan_generator.json", "w") as f:
    json.dump({"latent_dim": LATENT_DIM, "filters": FILTERS, "stage": STAGES - 1}, f)
print("saved progan_generator.weights.h5 and progan_generator.json")
""")

check("trained_progan", 2)

md(
    r"""
## Faces, with the internet

ProGAN was made for faces: CelebA-HQ at $1024 \times 1024$, eight GPUs for four days. The same
code grows CelebA's aligned faces (in the course's catalog as `celeba`; `igcourse data fetch
celeba` says how to get them, since Google Drive refuses scripted downloads) to $64 \times 64$ on
one GPU in a few hours: give `ProGenerator` `channels=3`, raise `STAGES` to 5, and read the faces
with `igcourse.data.celeba`, centre-cropped and resized to $64 \times 64$ in $[-1, 1]$. The cell
below says whether CelebA is on this machine.
""",
    r"""
## 有网络时：人脸

ProGAN 是为人脸而做的：$1024 \times 1024$ 的 CelebA-HQ，八块 GPU 训练四天。同样的代码可以在一块 GPU 上
用几个小时把 CelebA 对齐后的人脸（在课程数据目录中名为 `celeba`；因为 Google Drive 拒绝脚本下载，
`igcourse data fetch celeba` 会说明如何获取）长到 $64 \times 64$：给 `ProGenerator` 设
`channels=3`，把 `STAGES` 提高到 5，用 `igcourse.data.celeba` 读取人脸，居中裁剪并缩放到
$64 \times 64$、取值在 $[-1, 1]$ 中。下面的单元格说明本机上是否有 CelebA。
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
          "grew Fashion-MNIST's items instead.")
else:
    print(f"CelebA found in {celeba_folder}: set channels=3 and STAGES=5 to grow its faces.")
""")

md(
    r"""
## Summary

- ProGAN grows both networks a block at a time, from $4 \times 4$ up, and fades each new block
  in: at $\alpha = 0$ the grown networks are exactly the old ones, so nothing learnt is lost.
- Pixel normalisation keeps the generator's features in check without batch statistics; the
  minibatch standard deviation lets the critic see a batch's variety; the equalised learning rate
  stores $\mathcal{N}(0, 1)$ weights and applies He's constant at run time, so that Adam moves
  every layer at the same pace.
- The critic's loss is WGAN-GP with a per-sample penalty and a small drift term on the real
  scores.

The next notebook, StyleGAN, rebuilds the generator: a mapping network (with ProGAN's equalised
learning rate and a multiplier of its own) turns $z$ into a style $w$, and AdaIN (chapter 5)
applies it at every resolution, starting from a learned constant.
""",
    r"""
## 小结

- ProGAN 一次给两个网络各加一个层块，从 $4 \times 4$ 开始增长，并让每个新层块渐入：$\alpha = 0$ 时长大后
  的网络与原来的完全相同，所以学到的东西不会丢失。
- 像素归一化不用批统计量就能控制住生成器的特征；小批量标准差让评论家看到一批样本的多样性；均衡学习率
  存储 $\mathcal{N}(0, 1)$ 的权重，在运行时乘上 He 常数，使 Adam 以相同的速度移动每一层。
- 评论家的损失是带逐样本惩罚的 WGAN-GP，加上作用于真实分数的一个小漂移项。

下一个笔记本 StyleGAN 重新构建生成器：一个映射网络（使用 ProGAN 的均衡学习率，外加它自己的乘数）把 $z$
变成风格 $w$，AdaIN（第 5 章）从一个学习到的常量出发，在每个分辨率上应用它。
""",
)

count = book.write(sys.argv[1], "progan")
print("wrote", sys.argv[1], count, "cells")
