"""Writes source/ch05_style_transfer/adain.ipynb (the master notebook of AdaIN).

Usage: python make_adain_nb.py source/ch05_style_transfer/adain.ipynb
Each narrative cell is written here in English and in Chinese, side by side.
"""

import sys

from igcourse.authoring import MasterNotebook

CHAPTER = "ch05_style_transfer"
book = MasterNotebook(CHAPTER)
md, code, solution, check = book.md, book.code, book.solution, book.check


md(r"""
# Chapter 5, part 2: Arbitrary style transfer with AdaIN

The first notebook repainted one photograph in one style by optimising its pixels: hundreds of
gradient steps through VGG19 for every new pair of images. Huang and Belongie (*Arbitrary Style
Transfer in Real-time with Adaptive Instance Normalization*, ICCV 2017) trade that optimisation
for a network that is trained once and then stylises any photograph in any style in a single
forward pass:

1. an **encoder**, VGG19 up to `block4_conv1`, frozen, turns the content image and the style
   image into feature maps;
2. **adaptive instance normalisation** (AdaIN) gives the content features the per-channel mean
   and standard deviation of the style features;
3. a **decoder**, the only part that learns, turns the result back into an image.

The whole idea of style is now two numbers per channel: where the first notebook compared Gram
matrices ($C \times C$ numbers per layer), AdaIN compares means and standard deviations ($2C$).

| part | what you write | points |
|---|---|---|
| `adain` | `channel_moments(x, epsilon)`, `adain(content, style, epsilon)` | 2 |
| `reflect_conv` | `reflect_conv(x, filters, activation, name)` | 1 |
| `adain_decoder` | `build_adain_decoder(channels)` | 2 |
| `adain_losses` | `adain_content_loss(features, target)`, `adain_style_loss(features, style_features, epsilon)` | 3 |
| `adain_step` | `make_adain_step(encoder, decoder, optimizer, style_weight)` | 3 |
| `trained_adain` | the trained decoder, handed in (measured by the grader) | 2 |
| `adain_inference` | `stylize(encoder, decoder, content, style, alpha)`, `interpolate_styles(encoder, decoder, content, styles, weights)` | 2 |
""", r"""
# 第 5 章 第 2 部分：用 AdaIN 做任意风格迁移

第一个笔记本通过优化像素，把一张照片按一种风格重画：每一对新的图像都要在 VGG19 中走上几百步梯度。
Huang 和 Belongie（*Arbitrary Style Transfer in Real-time with Adaptive Instance Normalization*，
ICCV 2017）用一个网络取代了这种优化：网络只训练一次，之后一次前向传播就能把任意照片画成任意风格：

1. **编码器**，即截止到 `block4_conv1` 的 VGG19，保持冻结，把内容图像和风格图像变成特征图；
2. **自适应实例归一化**（AdaIN）让内容特征具有风格特征逐通道的均值和标准差；
3. **解码器**是唯一学习的部分，它把结果变回一张图像。

这样，风格的全部含义就成了每个通道的两个数：第一个笔记本比较的是 Gram 矩阵（每层 $C \times C$ 个数），
AdaIN 比较的是均值和标准差（$2C$ 个数）。

| 部分 | 你要编写的内容 | 分值 |
|---|---|---|
| `adain` | `channel_moments(x, epsilon)`、`adain(content, style, epsilon)` | 2 |
| `reflect_conv` | `reflect_conv(x, filters, activation, name)` | 1 |
| `adain_decoder` | `build_adain_decoder(channels)` | 2 |
| `adain_losses` | `adain_content_loss(features, target)`、`adain_style_loss(features, style_features, epsilon)` | 3 |
| `adain_step` | `make_adain_step(encoder, decoder, optimizer, style_weight)` | 3 |
| `trained_adain` | 训练好的解码器，随笔记本提交（由评分程序衡量） | 2 |
| `adain_inference` | `stylize(encoder, decoder, content, style, alpha)`、`interpolate_styles(encoder, decoder, content, styles, weights)` | 2 |
""")

code(r"""
import json
import time

import matplotlib.pyplot as plt

from igcourse.checks import check_part
from igcourse.data.crops import crop_pools, random_crops
from igcourse.data.vgg19 import vgg19_network, vgg19_weights_file, vgg19_weights_message
from igcourse.notebook import image_grid, progress, quick_mode

QUICK = quick_mode()
""")

code(r"""
# The encoder, AdaIN, the decoder, the losses and the step below use these libraries.
import keras
import numpy as np
import tensorflow as tf

# The encoder's layers: the first convolution of blocks 1 to 4. The last one is the content.
ENCODER_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1")
IMAGENET_MEANS_BGR = (103.939, 116.779, 123.68)  # ImageNet's mean pixel, B, G, R, in 0..255
EPSILON = 1e-5  # inside the square root of a variance


def vgg_preprocess(images):
    # RGB in [0, 1] -> VGG19's input: times 255, channels reversed once to BGR, means subtracted.
    pixels = keras.ops.convert_to_tensor(images, "float32") * 255.0
    return keras.ops.flip(pixels, axis=-1) - keras.ops.convert_to_tensor(IMAGENET_MEANS_BGR)


def build_encoder(vgg, layers=ENCODER_LAYERS):
    # A frozen keras.Model: images (B, H, W, 3) in [0, 1] -> [the activations of each layer].
    images = keras.Input((None, None, 3))
    features = keras.Model(vgg.inputs, [vgg.get_layer(name).output for name in layers])
    encoder = keras.Model(images, features(keras.layers.Lambda(vgg_preprocess)(images)))
    encoder.trainable = False
    return encoder
""", export=True)

md(r"""
## Training images

AdaIN is trained on many photographs (the paper used MS-COCO, about 80,000 images) and many
paintings (WikiArt, about 80,000). Neither fits on the course's machines, which have no
internet, so this notebook trains on **random crops** of four OpenCV sample images (Debian's
`opencv-doc` installs them; elsewhere `igcourse data fetch opencv-samples` downloads them):

- content: `fruits.jpg` and `messi5.jpg` (a footballer on a pitch);
- style: `starry_night.jpg` (Van Gogh, 1889, public domain) and `baboon.jpg` (a mandrill's fur,
  a strong texture).

A crop of a painting is still the painting's style: its statistics hardly depend on where it is
cut. Two styles are not many, and the decoder will not generalise to styles it never saw; the
point here is to see every piece work. With a GPU and a real data set, the same code trains the
real model.

Crops are `CROP` pixels square: 64 in quick mode (the autograder, CI, a machine without a GPU),
256 in the full run. Each image is first scaled so that its shorter side is twice the crop.
""", r"""
## 训练图像

AdaIN 在大量照片（论文用的是 MS-COCO，约 80,000 张）和大量画作（WikiArt，约 80,000 张）上训练。课程的
机器不能上网，放不下这两个数据集，所以本笔记本在四张 OpenCV 示例图像的**随机裁剪**上训练（Debian 的
`opencv-doc` 会安装它们；在其他机器上用 `igcourse data fetch opencv-samples` 下载）：

- 内容：`fruits.jpg` 和 `messi5.jpg`（球场上的一名足球运动员）；
- 风格：`starry_night.jpg`（梵高，1889 年，公有领域）和 `baboon.jpg`（山魈的皮毛，一种鲜明的纹理）。

从画作上裁下的一块仍然带有画作的风格：它的统计量几乎与裁剪的位置无关。两种风格并不多，解码器也无法
推广到它从未见过的风格；这里的目的是看到每个部件都在工作。有了 GPU 和真正的数据集，同样的代码就能训练
真正的模型。

裁剪块是边长 `CROP` 像素的正方形：快速模式（自动评分、CI、没有 GPU 的机器）下为 64，完整运行时为 256。
每张图像先缩放到较短的一边为裁剪边长的两倍。
""")

code(r"""
CROP = 64 if QUICK else 256
BATCH = 4 if QUICK else 8
# crop_pools(CROP): the two photographs and the two paintings, each scaled to a shorter side of
# 2 * CROP; random_crops(pool, count, size, rng): count crops of size x size at random places.
content_pool, style_pool = crop_pools(CROP)
rng = np.random.default_rng(0)
plt.figure(figsize=(12, 3))
samples = [random_crops(content_pool, 4, CROP, rng), random_crops(style_pool, 4, CROP, rng)]
plt.imshow(image_grid(np.concatenate(samples), columns=8))
plt.title("four content crops, four style crops")
plt.axis("off")
plt.show()
""")

md(r"""
## The encoder

The encoder is VGG19 up to `block4_conv1`, with the preprocessing of the first notebook
(`vgg_preprocess`: times 255, the channels reversed **once** to BGR, ImageNet's means
subtracted; the book reversed them twice). `build_encoder(vgg)` returns a frozen model that maps
images in $[0, 1]$ to the list of the activations of `block1_conv1`, `block2_conv1`,
`block3_conv1` and `block4_conv1`: the last is what AdaIN and the content loss use, all four are
what the style loss uses. Both are given.

**The weights.** With ImageNet's weights (the catalog's `vgg19-notop`: `igcourse data fetch
vgg19-notop`) the results look like the paper's. Where the file is missing (on the course's
machines, in CI and in the autograder) the cell builds VGG19 with **seeded random weights**
(He's initialisation, as in the first notebook), and says so. AdaIN's mechanics work the same;
the pictures are blotchier, since random filters describe a texture less well.
""", r"""
## 编码器

编码器是截止到 `block4_conv1` 的 VGG19，使用第一个笔记本中的预处理（`vgg_preprocess`：乘以 255，通道
**只反转一次**成为 BGR，减去 ImageNet 的均值；原书反转了两次）。`build_encoder(vgg)` 返回一个冻结的
模型，把 $[0, 1]$ 中的图像映射为 `block1_conv1`、`block2_conv1`、`block3_conv1` 和 `block4_conv1`
的激活组成的列表：AdaIN 和内容损失用最后一个，风格损失用全部四个。这两个函数都已给出。

**权重。** 使用 ImageNet 的权重时（数据目录中的 `vgg19-notop`：`igcourse data fetch vgg19-notop`），
结果与论文中的相似。在没有这个文件的地方（课程的机器、CI 和自动评分中），下面的单元格用**带种子的随机
权重**（与第一个笔记本一样用 He 初始化）构建 VGG19，并且会明确说出来。AdaIN 的机制照样工作；由于随机
滤波器对纹理的描述较差，画面会更斑驳。
""")

code(r"""
weights_file = vgg19_weights_file()
print(vgg19_weights_message(weights_file))
PRETRAINED = weights_file is not None
# ImageNet's weights where the file is here; else He's initialisation, seeded per layer (drawn
# with NumPy, so that every machine and backend builds the same network).
vgg = vgg19_network(weights_file)
encoder = build_encoder(vgg)
for name, activation in zip(ENCODER_LAYERS, encoder(np.zeros((1, CROP, CROP, 3))), strict=True):
    print(f"{name:13s} {tuple(activation.shape)}")
""")

md(r"""
## Part 1: adaptive instance normalisation

For one image's activations $x$ of shape $(H, W, C)$, the mean and standard deviation of channel
$c$ are taken over the positions, for each sample of the batch on its own:
$$\mu_c(x) = \frac{1}{HW}\sum_{h,w} x_{hwc}, \qquad
\sigma_c(x) = \sqrt{\frac{1}{HW}\sum_{h,w} \big(x_{hwc} - \mu_c(x)\big)^2 + \epsilon}.$$
$\epsilon$ (`EPSILON`, $10^{-5}$) sits **inside** the square root: a channel that is zero
everywhere (a ReLU that never fires, frequent in VGG) then has $\sigma = \sqrt{\epsilon}$ rather
than 0, and nothing is divided by zero, nor is a square root differentiated at zero.

AdaIN normalises the content features channel by channel and gives them the style's statistics:
$$\operatorname{AdaIN}(x, y) = \sigma(y)\,\frac{x - \mu(x)}{\sigma(x)} + \mu(y).$$
Instance normalisation learns a fixed scale and shift; AdaIN takes them from another image, which
is what makes a single network work for any style.

- `channel_moments(x, epsilon=EPSILON)`: $(B, H, W, C) \to$ `(mean, std)`, each $(B, 1, 1, C)$
  (`keras.ops.mean(..., axis=(1, 2), keepdims=True)`).
- `adain(content, style, epsilon=EPSILON)`: content $(B, H, W, C)$ and style $(B, H', W', C)$,
  whose height and width may differ; returns the shape of `content`. Sample $i$ of the output
  takes the statistics of sample $i$ of `style`.
""", r"""
## 第 1 部分：自适应实例归一化

对一张图像形状为 $(H, W, C)$ 的激活 $x$，通道 $c$ 的均值和标准差在位置上计算，批次中的每个样本单独计算：
$$\mu_c(x) = \frac{1}{HW}\sum_{h,w} x_{hwc}, \qquad
\sigma_c(x) = \sqrt{\frac{1}{HW}\sum_{h,w} \big(x_{hwc} - \mu_c(x)\big)^2 + \epsilon}.$$
$\epsilon$（`EPSILON`，$10^{-5}$）放在平方根**里面**：一个处处为零的通道（从不激活的 ReLU，在 VGG 中很
常见）的 $\sigma$ 于是为 $\sqrt{\epsilon}$ 而不是 0，既不会除以零，也不会在零处对平方根求导。

AdaIN 逐通道地归一化内容特征，并赋予它们风格的统计量：
$$\operatorname{AdaIN}(x, y) = \sigma(y)\,\frac{x - \mu(x)}{\sigma(x)} + \mu(y).$$
实例归一化学习一个固定的缩放和平移；AdaIN 从另一张图像取得它们，正是这一点使同一个网络适用于任何风格。

- `channel_moments(x, epsilon=EPSILON)`：$(B, H, W, C) \to$ `(mean, std)`，形状都是 $(B, 1, 1, C)$
  （`keras.ops.mean(..., axis=(1, 2), keepdims=True)`）。
- `adain(content, style, epsilon=EPSILON)`：content 为 $(B, H, W, C)$，style 为 $(B, H', W', C)$，
  两者的高和宽可以不同；返回 `content` 的形状。输出的第 $i$ 个样本取 `style` 第 $i$ 个样本的统计量。
""")

solution("adain", r'''
def channel_moments(x, epsilon=EPSILON):
    """x (B, H, W, C) -> (mean, std), each (B, 1, 1, C): for each sample and channel, the mean
    over H and W, and sqrt(the variance over H and W (divided by H * W) + epsilon)."""
    ### BEGIN SOLUTION
    mean = keras.ops.mean(x, axis=(1, 2), keepdims=True)
    variance = keras.ops.mean(keras.ops.square(x - mean), axis=(1, 2), keepdims=True)
    return mean, keras.ops.sqrt(variance + epsilon)
    ### END SOLUTION


def adain(content, style, epsilon=EPSILON):
    """content (B, H, W, C), style (B, H', W', C) -> (B, H, W, C):
    sigma_style * (content - mu_content) / sigma_content + mu_style, with the moments of
    channel_moments(., epsilon) taken per sample and per channel."""
    ### BEGIN SOLUTION
    content_mean, content_std = channel_moments(content, epsilon)
    style_mean, style_std = channel_moments(style, epsilon)
    return style_std * (content - content_mean) / content_std + style_mean
    ### END SOLUTION
''', 2)

md(r"""
## Part 2: a reflect-padded convolution

A $3 \times 3$ convolution with `padding="same"` pads its input with zeros. For a decoder that
paints images, a border of zeros is a dark frame that the network learns to draw, and the
stylised images get dark edges. Huang and Belongie pad by **reflection** instead: the pixel
beyond the edge copies the one just inside it (`[a, b, c, ...]` becomes `[b, a, b, c, ...]`).

`reflect_conv(x, filters, activation="relu", name=None)` applies to a tensor $x$
$(B, H, W, C)$ (a symbolic one, when a functional model is built) a one-pixel reflect padding of
height and width (`keras.ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="reflect")`), then a
`keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)`, and returns
$(B, H, W, \text{filters})$.
""", r"""
## 第 2 部分：反射填充的卷积

`padding="same"` 的 $3 \times 3$ 卷积用零填充输入。对一个绘制图像的解码器来说，一圈零就是一个暗色的
边框，网络会学着去画它，风格化的图像于是带上暗边。Huang 和 Belongie 改用**反射**填充：边缘外的像素复制
边缘内紧挨着的那个像素（`[a, b, c, ...]` 变成 `[b, a, b, c, ...]`）。

`reflect_conv(x, filters, activation="relu", name=None)` 作用于张量 $x$ $(B, H, W, C)$（构建函数式
模型时是符号张量）：先在高和宽上各做一个像素的反射填充（`keras.ops.pad(x, [[0, 0], [1, 1], [1, 1],
[0, 0]], mode="reflect")`），再接一个 `keras.layers.Conv2D(filters, 3, padding="valid",
activation=activation, name=name)`，返回 $(B, H, W, \text{filters})$。
""")

solution("reflect_conv", r'''
def reflect_conv(x, filters, activation="relu", name=None):
    """x (B, H, W, C) -> (B, H, W, filters): x padded by one pixel on each side of H and W by
    reflection (mode "reflect", the edge pixel not repeated), then
    keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)."""
    ### BEGIN SOLUTION
    padded = keras.ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="reflect")
    conv = keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)
    return conv(padded)
    ### END SOLUTION
''', 1)

md(r"""
## Part 3: the decoder

The decoder mirrors the encoder from `block4_conv1` back to the image. Where VGG halves the size
with a max pooling, the decoder doubles it with a nearest-neighbour upsampling
(`keras.layers.UpSampling2D(2, interpolation="nearest")`), which, unlike a transposed
convolution, leaves no checkerboard pattern. Every convolution is your `reflect_conv`, $3 \times
3$, with a ReLU, except the last: 3 channels, **linear** (`activation=None`), so that it can
give any colour. The decoder has no normalisation layers: a batch normalisation would undo the
statistics AdaIN has just set.

| step | layer |
|---|---|
| input | $(B, h, w, \text{channels})$, `channels` = 512 for `block4_conv1` |
| 1 | `reflect_conv` 256, ReLU; upsample ×2 |
| 2–4 | `reflect_conv` 256, ReLU, three times |
| 5 | `reflect_conv` 128, ReLU; upsample ×2 |
| 6 | `reflect_conv` 128, ReLU |
| 7 | `reflect_conv` 64, ReLU; upsample ×2 |
| 8 | `reflect_conv` 64, ReLU |
| 9 | `reflect_conv` 3, linear |

`build_adain_decoder(channels=512)` returns a `keras.Model` from `keras.Input((None, None,
channels))` to $(B, 8h, 8w, 3)$, of exactly these nine convolutions and three upsamplings, in
this order.
""", r"""
## 第 3 部分：解码器

解码器从 `block4_conv1` 开始镜像编码器，一直回到图像。VGG 用最大池化把尺寸减半的地方，解码器用最近邻
上采样（`keras.layers.UpSampling2D(2, interpolation="nearest")`）把尺寸加倍；与转置卷积不同，它不会
留下棋盘格图案。每个卷积都是你的 `reflect_conv`，$3 \times 3$，带 ReLU，只有最后一个例外：3 个通道，
**线性**（`activation=None`），这样它可以给出任何颜色。解码器没有归一化层：批归一化会抹掉 AdaIN 刚刚
设定的统计量。

| 步骤 | 层 |
|---|---|
| 输入 | $(B, h, w, \text{channels})$，对 `block4_conv1` 来说 `channels` = 512 |
| 1 | `reflect_conv` 256，ReLU；上采样 ×2 |
| 2–4 | `reflect_conv` 256，ReLU，三次 |
| 5 | `reflect_conv` 128，ReLU；上采样 ×2 |
| 6 | `reflect_conv` 128，ReLU |
| 7 | `reflect_conv` 64，ReLU；上采样 ×2 |
| 8 | `reflect_conv` 64，ReLU |
| 9 | `reflect_conv` 3，线性 |

`build_adain_decoder(channels=512)` 返回一个 `keras.Model`，从 `keras.Input((None, None, channels))`
到 $(B, 8h, 8w, 3)$，恰好由这九个卷积和三个上采样按这个顺序组成。
""")

solution("adain_decoder", r'''
def build_adain_decoder(channels=512):
    """A keras.Model: features (B, h, w, channels) -> images (B, 8h, 8w, 3). In order:
    reflect_conv 256 (ReLU), upsample x2 (nearest), reflect_conv 256 three times (ReLU),
    reflect_conv 128 (ReLU), upsample x2, reflect_conv 128 (ReLU), reflect_conv 64 (ReLU),
    upsample x2, reflect_conv 64 (ReLU), reflect_conv 3 with no activation."""
    ### BEGIN SOLUTION
    features = keras.Input((None, None, channels))
    x = reflect_conv(features, 256)
    x = keras.layers.UpSampling2D(2, interpolation="nearest")(x)
    for _ in range(3):
        x = reflect_conv(x, 256)
    x = reflect_conv(x, 128)
    x = keras.layers.UpSampling2D(2, interpolation="nearest")(x)
    x = reflect_conv(x, 128)
    x = reflect_conv(x, 64)
    x = keras.layers.UpSampling2D(2, interpolation="nearest")(x)
    x = reflect_conv(x, 64)
    images = reflect_conv(x, 3, activation=None)
    return keras.Model(features, images, name="adain_decoder")
    ### END SOLUTION
''', 2)

code(r"""
decoder = build_adain_decoder()
print(f"decoder: {decoder.count_params():,} parameters")
print(tuple(decoder(np.zeros((1, CROP // 8, CROP // 8, 512), np.float32)).shape))
""")

md(r"""
## Part 4: the losses

Let $t = \operatorname{AdaIN}(f(c), f(s))$ be the target features, $f$ the encoder's
`block4_conv1`, and $g(t)$ the decoder's image. Let $\phi_1, \dots, \phi_4$ be the encoder's four
layers.

- **Content loss**: the stylised image, encoded again, should have the features $t$ (not the
  content image's features: $t$ already holds the content, in the style's statistics):
  $$\mathcal{L}_c = \operatorname{mean}\big[\big(f(g(t)) - t\big)^2\big],$$
  the mean over every number (batch, positions, channels).
- **Style loss**: at every layer, the stylised image's channel statistics should be the style
  image's:
  $$\mathcal{L}_s = \sum_{i=1}^{4} \operatorname{mean}\big[\big(\mu(\phi_i(g(t))) - \mu(\phi_i(s))\big)^2\big]
  + \operatorname{mean}\big[\big(\sigma(\phi_i(g(t))) - \sigma(\phi_i(s))\big)^2\big],$$
  each mean over the batch and the channels, $\mu$ and $\sigma$ those of your `channel_moments`.

The paper writes Euclidean norms (sums); means differ by a constant factor per layer, which the
style weight absorbs. (The book summed the content loss; its weights differ accordingly.)

- `adain_content_loss(features, target)`: `features` is $f(g(t))$, `target` is $t$, same shape.
- `adain_style_loss(features, style_features, epsilon=EPSILON)`: two lists of four activations,
  the stylised images' and the style images'; layer by layer the batch and channels agree, the
  height and width may not.
""", r"""
## 第 4 部分：损失

设 $t = \operatorname{AdaIN}(f(c), f(s))$ 为目标特征，$f$ 是编码器的 `block4_conv1`，$g(t)$ 是解码器
生成的图像。设 $\phi_1, \dots, \phi_4$ 为编码器的四层。

- **内容损失**：风格化的图像再次编码后，应当具有特征 $t$（而不是内容图像的特征：$t$ 已经以风格的统计量
  包含了内容）：
  $$\mathcal{L}_c = \operatorname{mean}\big[\big(f(g(t)) - t\big)^2\big],$$
  对每个数（批次、位置、通道）取平均。
- **风格损失**：在每一层，风格化图像的通道统计量应当与风格图像的相同：
  $$\mathcal{L}_s = \sum_{i=1}^{4} \operatorname{mean}\big[\big(\mu(\phi_i(g(t))) - \mu(\phi_i(s))\big)^2\big]
  + \operatorname{mean}\big[\big(\sigma(\phi_i(g(t))) - \sigma(\phi_i(s))\big)^2\big],$$
  每个平均都取遍批次和通道，$\mu$ 和 $\sigma$ 由你的 `channel_moments` 给出。

论文写的是欧几里得范数（求和）；平均与它们只差每层一个常数因子，由风格权重吸收。（原书对内容损失求和；
它的权重相应地不同。）

- `adain_content_loss(features, target)`：`features` 是 $f(g(t))$，`target` 是 $t$，形状相同。
- `adain_style_loss(features, style_features, epsilon=EPSILON)`：两个各含四个激活的列表，分别属于
  风格化图像和风格图像；逐层比较时批次和通道一致，高和宽可以不同。
""")

solution("adain_losses", r'''
def adain_content_loss(features, target):
    """mean((features - target) ** 2) over every number (batch, positions, channels)."""
    ### BEGIN SOLUTION
    return keras.ops.mean(keras.ops.square(features - target))
    ### END SOLUTION


def adain_style_loss(features, style_features, epsilon=EPSILON):
    """The sum over the layers i of mean((mu_i - mu_s_i) ** 2) + mean((sigma_i - sigma_s_i) ** 2),
    where (mu_i, sigma_i) = channel_moments(features[i], epsilon) and (mu_s_i, sigma_s_i) =
    channel_moments(style_features[i], epsilon); each mean over the batch and the channels."""
    ### BEGIN SOLUTION
    total = 0.0
    for got, wanted in zip(features, style_features, strict=True):
        mean, std = channel_moments(got, epsilon)
        style_mean, style_std = channel_moments(wanted, epsilon)
        total = total + keras.ops.mean(keras.ops.square(mean - style_mean))
        total = total + keras.ops.mean(keras.ops.square(std - style_std))
    return total
    ### END SOLUTION
''', 3)

md(r"""
## Part 5: one training step

`make_adain_step(encoder, decoder, optimizer, style_weight)` returns a `tf.function`
`step(content_images, style_images)`, both $(B, H, W, 3)$ in $[0, 1]$, that

1. encodes both batches: `style_features = encoder(style_images)` (all four layers), and
   `t = adain(encoder(content_images)[-1], style_features[-1])`;
2. under a `tf.GradientTape`: `images = decoder(t)`, `features = encoder(images)`,
   `content = adain_content_loss(features[-1], t)`,
   `style = adain_style_loss(features, style_features)` and
   `total = content + style_weight * style`;
3. applies the gradient of `total` with respect to `decoder.trainable_variables` with
   `optimizer`, and to nothing else: the encoder stays frozen;
4. returns `(total, content, style)`.

The gradient flows **through** the encoder (the second call, on the decoder's images) into the
decoder; it must not change the encoder. Put the decorator on the step function, not on a layer's
`call` (as the book did): a traced `call` is traced again for every new input shape and hides
errors behind tracing messages. Checkpoint or save the decoder only if you like: the encoder is
rebuilt from VGG19 each time.
""", r"""
## 第 5 部分：一个训练步

`make_adain_step(encoder, decoder, optimizer, style_weight)` 返回一个 `tf.function`
`step(content_images, style_images)`，两个参数都是 $[0, 1]$ 中的 $(B, H, W, 3)$，它

1. 编码两个批次：`style_features = encoder(style_images)`（全部四层），以及
   `t = adain(encoder(content_images)[-1], style_features[-1])`；
2. 在 `tf.GradientTape` 之下：`images = decoder(t)`，`features = encoder(images)`，
   `content = adain_content_loss(features[-1], t)`，
   `style = adain_style_loss(features, style_features)`，`total = content + style_weight * style`；
3. 用 `optimizer` 把 `total` 对 `decoder.trainable_variables` 的梯度应用上去，且只应用到它们：编码器
   保持冻结；
4. 返回 `(total, content, style)`。

梯度**穿过**编码器（第二次调用，作用于解码器的图像）流入解码器；它不能改变编码器。把装饰器放在训练步
函数上，而不是像原书那样放在某一层的 `call` 上：被追踪的 `call` 会对每一种新的输入形状重新追踪，并把
错误藏在追踪信息后面。只保存解码器即可：编码器每次都从 VGG19 重新构建。
""")

solution("adain_step", r'''
def make_adain_step(encoder, decoder, optimizer, style_weight):
    """Return a tf.function step(content_images, style_images) -> (total, content, style):
    t = adain(encoder(content_images)[-1], style_features[-1]) with style_features =
    encoder(style_images); content = adain_content_loss(encoder(decoder(t))[-1], t),
    style = adain_style_loss(encoder(decoder(t)), style_features), total = content +
    style_weight * style; the gradient of total applied by optimizer to
    decoder.trainable_variables only. The losses are those before the update."""
    ### BEGIN SOLUTION
    @tf.function
    def step(content_images, style_images):
        style_features = encoder(style_images)
        target = adain(encoder(content_images)[-1], style_features[-1])
        with tf.GradientTape() as tape:
            features = encoder(decoder(target))
            content = adain_content_loss(features[-1], target)
            style = adain_style_loss(features, style_features)
            total = content + style_weight * style
        gradients = tape.gradient(total, decoder.trainable_variables)
        optimizer.apply_gradients(zip(gradients, decoder.trainable_variables, strict=True))
        return total, content, style

    return step
    ### END SOLUTION
''', 3)

md(r"""
## Training

Adam with learning rate $10^{-4}$ (the paper's) in the full run, batches of `BATCH` content
crops and `BATCH` style crops drawn afresh at every step. The style weight balances two losses
whose scales depend on the encoder's weights: 10 with ImageNet's weights (the paper's value), 1
with random weights (raise it for more style). Quick mode trains 150 steps on 64-pixel crops
with a rate ten times larger ($10^{-3}$), which only starts the decoder: its first images are
far outside $[0, 1]$ (a random decoder of random VGG features), and after 150 steps they are
blurred shapes of the content in the style's colours (about 30 s on 2 cores). The full run
trains 20,000 steps on 256-pixel crops, hours on a GPU.
""", r"""
## 训练

完整运行用 Adam，学习率 $10^{-4}$（论文的取值），每一步重新抽取 `BATCH` 个内容裁剪块和 `BATCH`
个风格裁剪块。风格权重平衡两个损失，它们的尺度取决于编码器的权重：ImageNet 权重时为 10（论文的取值），
随机权重时为 1（想要更多风格就增大它）。快速模式在 64 像素的裁剪块上训练 150 步，学习率大十倍
（$10^{-3}$），解码器只是开了个头：它最初的图像远在 $[0, 1]$ 之外（随机 VGG 特征上的随机解码器），
150 步之后是带着风格颜色的模糊的内容轮廓（2 个核上约 30 秒）。完整运行在 256 像素的裁剪块上训练
20,000 步，在 GPU 上要几个小时。
""")

code(r"""
STEPS = 150 if QUICK else 20_000
RATE = 1e-3 if QUICK else 1e-4  # quick mode: ten times the paper's rate, to get somewhere
STYLE_WEIGHT = 10.0 if PRETRAINED else 1.0
keras.utils.set_random_seed(0)
decoder = build_adain_decoder()
optimizer = keras.optimizers.Adam(RATE)
step = make_adain_step(encoder, decoder, optimizer, STYLE_WEIGHT)
history = {"total": [], "content": [], "style": []}
start = time.perf_counter()
for _ in progress(range(STEPS), description="AdaIN decoder"):
    contents = random_crops(content_pool, BATCH, CROP, rng)
    styles = random_crops(style_pool, BATCH, CROP, rng)
    losses = step(tf.constant(contents), tf.constant(styles))
    for key, value in zip(history, losses, strict=True):
        history[key].append(float(value))
print(f"{STEPS} steps in {time.perf_counter() - start:.0f} s; last losses:")
print("  ".join(f"{key} {values[-1]:.4g}" for key, values in history.items()))
fig, axes = plt.subplots(1, 3, figsize=(12, 3))
for axis, (key, values) in zip(axes, history.items(), strict=True):
    axis.plot(values)
    axis.set_title(key)
    axis.set_xlabel("step")
    axis.set_yscale("log")
plt.tight_layout()
plt.show()
""")

md(r"""
### Hand in your trained decoder

The cell below saves the trained decoder's weights and its settings next to this notebook (the
encoder is VGG19, rebuilt by the grader: with ImageNet's weights if you trained with them, else
with the same seeded random weights as here). Submit both files with the notebook: the check
after it (part `trained_adain`) and the grader rebuild the decoder with your
`build_adain_decoder` and measure it on other crops of the same images: decoding a content
crop's own features $f(c)$ and encoding the result again must give back $f(c)$
(`reconstruction`, the content loss over the mean square of $f(c)$, at most the course's bar in
`course_config.py`; an untrained decoder gives tens, quick mode's 150 steps about 0.3).

The grader also computes how much closer the stylised crops' statistics are to the style's than
to the content's, but does not grade it: with random VGG19 weights that figure wanders between
seeds and a decoder trained without the style loss does as well, so no bar would tell a right
decoder from a wrong one (`solutions/ch05_style_transfer/RESULTS.md`). With ImageNet's weights
and a real run it becomes a measure.
""", r"""
### 提交训练好的解码器

下面的单元把训练好的解码器的权重和设置保存在本笔记本旁边（编码器是 VGG19，由评分程序重建：如果你用
ImageNet 权重训练，就用 ImageNet 权重，否则用和这里相同的固定种子随机权重）。把这两个文件和笔记本一起
提交：它后面的检查（部分 `trained_adain`）和评分程序会用你的 `build_adain_decoder` 重建解码器，并在
同样几张图像的其他裁剪块上衡量它：把内容裁剪块自己的特征 $f(c)$ 解码，再编码一次，必须得回 $f(c)$
（`reconstruction`，内容损失除以 $f(c)$ 的均方，不超过 `course_config.py` 中课程的标准；未训练的解码器
是几十，快速模式的 150 步约为 0.3）。

评分程序也会计算风格化裁剪块的统计量离风格的比离内容的近多少，但不据此评分：用随机的 VGG19 权重时，这个
数在不同随机种子之间摆动，不用风格损失训练的解码器也能达到，所以任何标准都分不出对错
（`solutions/ch05_style_transfer/RESULTS.md`）。有了 ImageNet 权重和真正的训练，它才成为一个衡量。
""")

code(r"""
# The grader rebuilds the decoder from these settings and measures it on other crops.
decoder.save_weights("adain_decoder.weights.h5")
with open("adain_decoder.json", "w") as f:
    json.dump({"channels": 512, "pretrained": PRETRAINED}, f)
print("saved adain_decoder.weights.h5 and adain_decoder.json")
""")

check("trained_adain", 2)

md(r"""
## Part 6: stylising, with a dial

At inference the decoder can be given less than the full style. With $t = \operatorname{AdaIN}(
f(c), f(s))$, the features
$$t_\alpha = \alpha\,t + (1 - \alpha)\,f(c)$$
go from the content image's own features ($\alpha = 0$) to the full style ($\alpha = 1$). And
several styles $s_1, \dots, s_K$ with weights $w_k$ summing to 1 mix as
$$t = \sum_k w_k\,\operatorname{AdaIN}(f(c), f(s_k)).$$

- `stylize(encoder, decoder, content, style, alpha=1.0)`: content and style $(B, H, W, 3)$ (the
  two sizes may differ) $\to$ `decoder(alpha * t + (1 - alpha) * f(c))`, $f$ the encoder's last
  layer.
- `interpolate_styles(encoder, decoder, content, styles, weights)`: `styles` a list of $K$
  batches, `weights` $K$ numbers $\to$ `decoder(sum_k weights[k] * adain(f(content), f(styles[k])))`.
""", r"""
## 第 6 部分：带旋钮的风格化

推理时可以只给解码器一部分风格。设 $t = \operatorname{AdaIN}(f(c), f(s))$，特征
$$t_\alpha = \alpha\,t + (1 - \alpha)\,f(c)$$
从内容图像自己的特征（$\alpha = 0$）过渡到完整的风格（$\alpha = 1$）。多个风格 $s_1, \dots, s_K$
以和为 1 的权重 $w_k$ 混合：
$$t = \sum_k w_k\,\operatorname{AdaIN}(f(c), f(s_k)).$$

- `stylize(encoder, decoder, content, style, alpha=1.0)`：content 和 style 为 $(B, H, W, 3)$（两者
  大小可以不同）$\to$ `decoder(alpha * t + (1 - alpha) * f(c))`，$f$ 是编码器的最后一层。
- `interpolate_styles(encoder, decoder, content, styles, weights)`：`styles` 是 $K$ 个批次组成的列表，
  `weights` 是 $K$ 个数 $\to$ `decoder(sum_k weights[k] * adain(f(content), f(styles[k])))`。
""")

solution("adain_inference", r'''
def stylize(encoder, decoder, content, style, alpha=1.0):
    """decoder(alpha * t + (1 - alpha) * c), where c = encoder(content)[-1] and
    t = adain(c, encoder(style)[-1])."""
    ### BEGIN SOLUTION
    content_features = encoder(content)[-1]
    target = adain(content_features, encoder(style)[-1])
    return decoder(alpha * target + (1.0 - alpha) * content_features)
    ### END SOLUTION


def interpolate_styles(encoder, decoder, content, styles, weights):
    """decoder(sum over k of weights[k] * adain(c, encoder(styles[k])[-1])), where
    c = encoder(content)[-1]."""
    ### BEGIN SOLUTION
    content_features = encoder(content)[-1]
    mixed = 0.0
    for style, weight in zip(styles, weights, strict=True):
        mixed = mixed + weight * adain(content_features, encoder(style)[-1])
    return decoder(mixed)
    ### END SOLUTION
''', 2)

code(r"""
content = content_pool[0][None, :CROP * 2, :CROP * 2]
style_a = style_pool[0][None, :CROP, :CROP]
style_b = style_pool[1][None, :CROP, :CROP]
ALPHAS = (0.0, 0.25, 0.5, 0.75, 1.0)
row = [np.clip(np.asarray(stylize(encoder, decoder, content, style_a, a))[0], 0, 1) for a in ALPHAS]
fig, axes = plt.subplots(1, len(ALPHAS), figsize=(15, 3))
for axis, picture, a in zip(axes, row, ALPHAS, strict=True):
    axis.imshow(picture)
    axis.set_title(f"alpha {a}")
    axis.axis("off")
plt.show()
mix = []
for w in (1.0, 0.5, 0.0):
    mixed = interpolate_styles(encoder, decoder, content, [style_a, style_b], [w, 1 - w])
    mix.append(np.clip(np.asarray(mixed)[0], 0, 1))
plt.figure(figsize=(10, 3))
plt.imshow(image_grid(np.stack(mix), columns=3))
plt.title("style weights 1 : 0, 0.5 : 0.5, 0 : 1 (Starry Night : baboon)")
plt.axis("off")
plt.show()
""")

md(r"""
## Summary

- AdaIN reduces a style to the per-channel mean and standard deviation of VGG features, and
  transfers it by normalising the content features and rescaling them.
- One decoder, trained once on many styles, stylises in one forward pass; only the decoder
  learns, through a frozen encoder that also serves as the loss network.
- The content loss compares with the AdaIN target $t$; the style loss compares channel
  statistics at four layers.
- $\alpha$ blends content and style features; weights mix several styles.

Chapter 7 meets AdaIN again: StyleGAN uses it to inject a learned style at every resolution of a
generator.
""", r"""
## 小结

- AdaIN 把风格归结为 VGG 特征逐通道的均值和标准差，通过归一化内容特征再重新缩放来迁移风格。
- 一个解码器在许多风格上训练一次，就能一次前向传播完成风格化；只有解码器学习，它穿过一个冻结的编码器
  接受训练，这个编码器同时充当损失网络。
- 内容损失与 AdaIN 的目标 $t$ 比较；风格损失比较四层上的通道统计量。
- $\alpha$ 混合内容特征和风格特征；权重混合多个风格。

第 7 章会再次见到 AdaIN：StyleGAN 用它在生成器的每个分辨率上注入学到的风格。
""")

count = book.write(sys.argv[1], "adain")
print("wrote", sys.argv[1], count, "cells")
