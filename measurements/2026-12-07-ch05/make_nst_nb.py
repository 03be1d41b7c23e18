"""Writes source/ch05_style_transfer/neural_style_transfer.ipynb (the master notebook).

Usage: python make_nst_nb.py source/ch05_style_transfer/neural_style_transfer.ipynb
Each narrative cell is written here in English and in Chinese, side by side.
"""

import sys

from igcourse.authoring import MasterNotebook

CHAPTER = "ch05_style_transfer"
book = MasterNotebook(CHAPTER)
md, code, solution, check = book.md, book.code, book.solution, book.check


md(r"""
# Chapter 5, part 1: Neural style transfer

Take a photograph and a painting: can we repaint the photograph the way the painter would have?
Gatys, Ecker and Bethge (*A Neural Algorithm of Artistic Style*, 2015; *Image Style Transfer Using
Convolutional Neural Networks*, CVPR 2016) found that a convolutional network trained to
recognise objects already separates the two things this needs:

- **content**: the activations of a deep layer say *what is where* (half an orange here, a
  lime beside it) and care little about the exact pixels;
- **style**: *which features occur together*, averaged over every position, describes colours,
  strokes and textures and forgets where anything is. These co-occurrences are the **Gram
  matrices** of a layer's activations.

Nothing is trained in this notebook. The network's weights stay fixed; what changes is the
**image**: its pixels are the variables, and gradient descent moves them until the image's
content features match the photograph's and its Gram matrices match the painting's.

| part | what you write | points |
|---|---|---|
| `vgg_preprocess` | `vgg_preprocess(images)` | 2 |
| `feature_extractor` | `build_feature_extractor(vgg, content_layers, style_layers)` | 2 |
| `gram_matrix` | `gram_matrix(features)` | 2 |
| `nst_losses` | `content_loss`, `style_loss`, `total_variation`, `transfer_loss` | 3 |
| `transfer_step` | `make_transfer_step(extractor, content_targets, style_targets, optimizer, content_weight, style_weight, tv_weight)` | 3 |
""", r"""
# 第 5 章 第 1 部分：神经风格迁移

拿一张照片和一幅画：能否按那位画家的画法把照片重画一遍？Gatys、Ecker 和 Bethge（*A Neural Algorithm
of Artistic Style*，2015；*Image Style Transfer Using Convolutional Neural Networks*，CVPR 2016）
发现，一个为识别物体而训练的卷积网络，已经把这件事需要的两样东西分开了：

- **内容**：深层的激活说明*什么在哪里*（这里是半个橙子，旁边是一个青柠），而不太在意确切的像素；
- **风格**：*哪些特征一起出现*，在所有位置上取平均，描述了颜色、笔触和纹理，而忘掉了任何东西所在的
  位置。这些共现就是一层激活的 **Gram 矩阵**。

这个笔记本不训练任何网络。网络的权重保持不变；改变的是**图像**：它的像素就是变量，梯度下降移动这些
像素，直到图像的内容特征与照片的相符、它的 Gram 矩阵与画作的相符。

| 部分 | 你要编写的内容 | 分值 |
|---|---|---|
| `vgg_preprocess` | `vgg_preprocess(images)` | 2 |
| `feature_extractor` | `build_feature_extractor(vgg, content_layers, style_layers)` | 2 |
| `gram_matrix` | `gram_matrix(features)` | 2 |
| `nst_losses` | `content_loss`、`style_loss`、`total_variation`、`transfer_loss` | 3 |
| `transfer_step` | `make_transfer_step(extractor, content_targets, style_targets, optimizer, content_weight, style_weight, tv_weight)` | 3 |
""")

code(r"""
import time

import matplotlib.pyplot as plt

from igcourse.checks import check_part
from igcourse.data import fetch, read_image, resize, to_range
from igcourse.data.vgg19 import vgg19_network, vgg19_weights_file, vgg19_weights_message
from igcourse.notebook import image_grid, progress, quick_mode

QUICK = quick_mode()
""")

code(r"""
# The feature extractor, the losses and the step below use these libraries.
import keras
import numpy as np
import tensorflow as tf

# Gatys et al.'s layers: content from conv4_2, style from the first convolution of each block.
CONTENT_LAYERS = ("block4_conv2",)
STYLE_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")
IMAGENET_MEANS_BGR = (103.939, 116.779, 123.68)  # ImageNet's mean pixel, B, G, R, in 0..255
""", export=True)

md(r"""
## The two images

The content image is a photograph of fruit (halves of an orange and a lemon, a lime, a kiwi) and
the style image is Van Gogh's *The Starry
Night* (1889, in the public domain), both OpenCV sample images: Debian's `opencv-doc` package
installs them, and elsewhere `igcourse data fetch opencv-samples` downloads them. (The book uses
a photograph of a building, 7,444 × 4,965 pixels.)

Both become RGB floats in $[0, 1]$ of shape $(1, h, w, 3)$, their longer side `SIZE` pixels: 128
in quick mode (the autograder, CI, and a machine without a GPU), 512 in the full run. The style
image keeps its own proportions. A Gram matrix is an average over positions, so its size does not
depend on the image's shape, and squeezing the painting into the photograph's shape (as the book
does) would only stretch its brushstrokes.
""", r"""
## 两张图像

内容图像是一张水果的照片（半个橙子、半个柠檬、一个青柠和一个猕猴桃），风格图像是梵高的《星月夜》（1889 年，属于公有领域），两者都是 OpenCV 的
示例图像：Debian 的 `opencv-doc` 软件包会安装它们，在其他机器上用 `igcourse data fetch opencv-samples`
下载。（原书用的是一张建筑物的照片，有 7,444 × 4,965 像素。）

两张图像都变成 $[0, 1]$ 中的 RGB 浮点数，形状为 $(1, h, w, 3)$，较长的一边为 `SIZE` 像素：快速模式
（自动评分、CI 以及没有 GPU 的机器）下为 128，完整运行时为 512。风格图像保持它自己的长宽比。Gram 矩阵
是对位置的平均，它的大小与图像的形状无关；把画作压成照片的形状（原书就是这样做的）只会拉伸它的笔触。
""")

code(r"""
SIZE = 128 if QUICK else 512


def load_image(name, size):
    # An OpenCV sample as float32 (1, h, w, 3), RGB in [0, 1], its longer side `size` pixels.
    image = read_image(fetch("opencv-samples") / name)
    height, width = image.shape[:2]
    scale = size / max(height, width)
    image = resize(image, (round(height * scale), round(width * scale)))
    return to_range(image, (0.0, 1.0))[None]


content_image = load_image("fruits.jpg", SIZE)
style_image = load_image("starry_night.jpg", SIZE)
print(f"content {content_image.shape}, style {style_image.shape}")
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
pictures = (content_image, style_image)
for axis, image, title in zip(axes, pictures, ("content", "style"), strict=True):
    axis.imshow(image[0])
    axis.set_title(title)
    axis.axis("off")
plt.show()
""")

md(r"""
## The feature network: VGG19

VGG19 (Simonyan and Zisserman, *Very Deep Convolutional Networks for Large-Scale Image
Recognition*, 2014) classifies ImageNet's 1,000 classes with sixteen $3 \times 3$ convolutions,
each followed by a ReLU, in five blocks; each block ends in a $2 \times 2$ max pooling that halves
the height and width. Its layers are named `block{b}_conv{k}`. A unit of `block1_conv1` sees
$3 \times 3$ pixels, one of `block4_conv2` a patch of $84 \times 84$ and one of `block5_conv1`
$156 \times 156$ (its **receptive field**). `include_top=False` leaves out the three dense layers
of the classifier: what is left is convolutional and takes images of any size.

**The weights.** With ImageNet's weights (the catalog's `vgg19-notop`, 80 MB: `igcourse data
fetch vgg19-notop`) the filters detect edges, colours, textures and parts of objects, and the
results look like the paper's. The course's own machines have no internet, so where the file is
missing (in CI and in the autograder, too) the cell below builds VGG19 with **seeded random
weights**, and says so. Style transfer still works, if less well. Ustyuzhaninov, Brendel, Gatys
and Bethge (*Texture synthesis using shallow convolutional networks with random filters*, 2016)
found that the Gram matrices of even a single layer of random filters capture much of a texture.
A random filter is still a local pattern detector: its rectified response measures how much of
one fixed mixture of colours and local contrasts a neighbourhood holds, and the correlations
between many such responses describe the local statistics of the image: its colours, its
contrast, how sharp its edges are and which way they run. What random filters lack is
selectivity: a trained filter answers to a stroke or a star and stays silent elsewhere, so its
statistics say more. Expect a blotchy texture in the painting's colours rather than its swirls.

Random weights need one precaution. Keras draws VGG19's kernels from Glorot's uniform
distribution, of variance $2 / (\text{fan}_\text{in} + \text{fan}_\text{out})$, which ignores
that a ReLU halves the second moment of the signal at every layer: with those weights the
activations of `block5_conv1` on the photograph are some seventy times smaller than those of
`block1_conv1`, and the deep layers would hardly count. He's initialisation (He, Zhang, Ren and Sun, 2015),
variance $2 / \text{fan}_\text{in}$, makes up for the ReLU and keeps every layer on one scale.
""", r"""
## 特征网络：VGG19

VGG19（Simonyan 和 Zisserman，*Very Deep Convolutional Networks for Large-Scale Image
Recognition*，2014）用十六个 $3 \times 3$ 卷积（每个后面跟一个 ReLU）对 ImageNet 的 1,000 个类别
分类，这些卷积分成五个块；每个块以一个 $2 \times 2$ 的最大池化结束，把高和宽减半。它的层命名为
`block{b}_conv{k}`。`block1_conv1` 的一个单元看到 $3 \times 3$ 个像素，`block4_conv2` 的一个单元
看到 $84 \times 84$ 的图像块，`block5_conv1` 的看到 $156 \times 156$（即它的**感受野**）。
`include_top=False` 去掉了分类器的三个全连接层：剩下的部分全是卷积，能接受任意大小的图像。

**权重。** 使用 ImageNet 的权重时（数据目录中的 `vgg19-notop`，80 MB：`igcourse data fetch
vgg19-notop`），滤波器检测边缘、颜色、纹理和物体的局部，结果与论文中的相似。课程自己的机器不能上网，
所以在没有这个文件的地方（CI 和自动评分中也是如此），下面的单元格用**带种子的随机权重**构建 VGG19，
并且会明确说出来。风格迁移仍然有效，只是效果差一些。Ustyuzhaninov、Brendel、Gatys 和 Bethge
（*Texture synthesis using shallow convolutional networks with random filters*，2016）发现，
哪怕只有一层随机滤波器，它的 Gram 矩阵也能捕捉纹理的很大一部分。随机滤波器仍然是一个局部模式检测器：
它经过整流的响应衡量一个邻域中含有多少某种固定的颜色与局部对比度的混合，而许多这样的响应之间的相关性
描述了图像的局部统计：它的颜色、对比度、边缘有多锐利以及朝哪个方向。随机滤波器缺少的是选择性：训练过
的滤波器只对一道笔触或一颗星星作出反应，在其他地方保持沉默，因此它的统计包含更多信息。可以预期得到的
是带有画作颜色的斑驳纹理，而不是它的漩涡。

随机权重需要一个预防措施。Keras 从 Glorot 均匀分布中抽取 VGG19 的卷积核，其方差为
$2 / (\text{fan}_\text{in} + \text{fan}_\text{out})$，它没有考虑到 ReLU 在每一层都把信号的二阶矩
减半：用这样的权重，`block5_conv1` 在照片上的激活比 `block1_conv1` 的小七十倍左右，深层几乎不起作用。He
初始化（He、Zhang、Ren 和 Sun，2015），方差为 $2 / \text{fan}_\text{in}$，补偿了 ReLU，使每一层保持
在同一个尺度上。
""")

code(r"""
weights_file = vgg19_weights_file()
print(vgg19_weights_message(weights_file))
PRETRAINED = weights_file is not None
# ImageNet's weights where the file is here; else He's initialisation, seeded per layer (drawn
# with NumPy, so that every machine and backend builds the same network).
vgg = vgg19_network(weights_file)
# Frozen: the image is optimised, never the network.
print(", ".join(layer.name for layer in vgg.layers[1:]))
""")

md(r"""
## Part 1: what VGG19 reads

VGG19's weights were trained with the conventions of the Caffe framework, and they expect them:

1. pixel values from 0 to 255 (ours lie in $[0, 1]$);
2. the channels in the order **B, G, R** (ours are R, G, B);
3. each channel minus its mean over ImageNet's training images: 103.939 for B, 116.779 for G and
   123.68 for R (`IMAGENET_MEANS_BGR`), with no division by a standard deviation.

For an RGB image $x \in [0, 1]$, the output's three channels, in this order, are
$$255\,x_B - 103.939, \qquad 255\,x_G - 116.779, \qquad 255\,x_R - 123.68.$$
`keras.applications.vgg19.preprocess_input(images * 255.0)` does steps 2 and 3, and you may use
it; or write them with `keras.ops` (`keras.ops.flip(x, axis=-1)` reverses the channels).

Reverse the channels **once**. The book reversed them with `tf.reverse` and then called
`preprocess_input`, which reverses them again: its VGG saw RGB images from which the BGR means
had been subtracted, the blue sky of the painting reaching the network in the red channel. With
random weights such a mistake would not show; with ImageNet's it changes every feature.

`vgg_preprocess(images)` takes a batch $(B, H, W, 3)$ of any size and returns the same shape,
without changing the array it was given.
""", r"""
## 第 1 部分：VGG19 读取什么

VGG19 的权重是按照 Caffe 框架的约定训练的，它们要求输入遵守这些约定：

1. 像素值从 0 到 255（我们的在 $[0, 1]$ 中）；
2. 通道的顺序为 **B、G、R**（我们的是 R、G、B）；
3. 每个通道减去它在 ImageNet 训练图像上的均值：B 为 103.939，G 为 116.779，R 为 123.68
   （`IMAGENET_MEANS_BGR`），不除以标准差。

对一张 RGB 图像 $x \in [0, 1]$，输出的三个通道依次为
$$255\,x_B - 103.939, \qquad 255\,x_G - 116.779, \qquad 255\,x_R - 123.68.$$
`keras.applications.vgg19.preprocess_input(images * 255.0)` 完成第 2 步和第 3 步，你可以使用它；
也可以用 `keras.ops` 自己写（`keras.ops.flip(x, axis=-1)` 反转通道）。

通道只反转**一次**。原书先用 `tf.reverse` 反转通道，再调用 `preprocess_input`，而后者会再反转一次：
它的 VGG 看到的是减去了 BGR 均值的 RGB 图像，画中的蓝天进入了网络的红色通道。用随机权重时这样的错误
看不出来；用 ImageNet 的权重时，它会改变每一个特征。

`vgg_preprocess(images)` 接收任意大小的批次 $(B, H, W, 3)$，返回相同的形状，并且不修改传给它的数组。
""")

solution("vgg_preprocess", r'''
def vgg_preprocess(images):
    """images (B, H, W, 3), RGB in [0, 1] -> VGG19's input (B, H, W, 3), float32: the values
    times 255, the channels reversed to B, G, R, then IMAGENET_MEANS_BGR (103.939, 116.779,
    123.68) subtracted from B, G and R; the same as
    keras.applications.vgg19.preprocess_input(images * 255.0)."""
    ### BEGIN SOLUTION
    pixels = keras.ops.convert_to_tensor(images, "float32") * 255.0
    bgr = keras.ops.flip(pixels, axis=-1)
    return bgr - keras.ops.convert_to_tensor(IMAGENET_MEANS_BGR, "float32")
    ### END SOLUTION
''', 2)

md(r"""
## Part 2: the feature extractor

Which layers? Gatys et al. took the content from `conv4_2`, here `block4_conv2`: deep enough to
record the arrangement of the scene rather than its exact pixels, so that the painting's texture
can replace the photograph's. The style comes from the first convolution of every block,
`block1_conv1` to `block5_conv1`, whose receptive fields grow from $3 \times 3$ pixels to
$156 \times 156$: the fine brushwork and the larger swirls are both described. The constants
`CONTENT_LAYERS` and `STYLE_LAYERS` hold these names. (The book takes its content from
`block5_conv1`.)

`build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS)` returns a
`keras.Model` that maps images $(B, H, W, 3)$, RGB in $[0, 1]$, to a dict
```
{"content": [activations of content_layers[0], ...], "style": [activations of style_layers[0], ...]}
```
each of shape $(B, h, w, c)$, in the order of the names given. Some tools:

- `vgg.get_layer(name).output` is a layer's output in VGG's graph, and `keras.Model(vgg.inputs,
  outputs)` a model that computes those outputs (`outputs` may be a dict of lists). It is made of
  VGG's own layers, so it shares their weights; and a model can be called like a layer.
- The model applies your `vgg_preprocess` to its input itself, once:
  `keras.layers.Lambda(vgg_preprocess)` makes the function a layer.
- `keras.Input((None, None, 3))` accepts images of any height and width.
""", r"""
## 第 2 部分：特征提取器

用哪些层？Gatys 等人从 `conv4_2`（这里是 `block4_conv2`）取内容：它足够深，记录的是场景的布局而不是
确切的像素，于是画作的纹理可以取代照片的纹理。风格来自每个块的第一个卷积，`block1_conv1` 到
`block5_conv1`，它们的感受野从 $3 \times 3$ 个像素增长到 $156 \times 156$：细致的笔法和较大的漩涡
都得到描述。常量 `CONTENT_LAYERS` 和 `STYLE_LAYERS` 存放这些名字。（原书从 `block5_conv1` 取内容。）

`build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS)` 返回一个
`keras.Model`，它把图像 $(B, H, W, 3)$（$[0, 1]$ 中的 RGB）映射为一个字典
```
{"content": [content_layers[0] 的激活, ...], "style": [style_layers[0] 的激活, ...]}
```
每个激活的形状为 $(B, h, w, c)$，顺序与给出的名字相同。一些工具：

- `vgg.get_layer(name).output` 是一层在 VGG 计算图中的输出，`keras.Model(vgg.inputs, outputs)` 是
  计算这些输出的模型（`outputs` 可以是由列表组成的字典）。它由 VGG 自己的层组成，因此共享它们的权重；
  而且模型可以像层一样被调用。
- 模型自己对输入应用你的 `vgg_preprocess`，只应用一次：`keras.layers.Lambda(vgg_preprocess)` 把这个
  函数变成一个层。
- `keras.Input((None, None, 3))` 接受任意高度和宽度的图像。
""")

solution("feature_extractor", r'''
def build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS):
    """A keras.Model: images (B, H, W, 3) of any height and width, RGB in [0, 1] ->
    {"content": [the output of vgg's layer named content_layers[i], for each i in order],
    "style": [the same for style_layers]}, each (B, h, w, c). The model applies
    vgg_preprocess to its input once, then vgg's own layers with their weights."""
    ### BEGIN SOLUTION
    images = keras.Input((None, None, 3))
    vgg_input = keras.layers.Lambda(vgg_preprocess)(images)
    outputs = {
        "content": [vgg.get_layer(name).output for name in content_layers],
        "style": [vgg.get_layer(name).output for name in style_layers],
    }
    features = keras.Model(vgg.inputs, outputs)
    return keras.Model(images, features(vgg_input), name="feature_extractor")
    ### END SOLUTION
''', 2)

code(r"""
extractor = build_feature_extractor(vgg)
for kind, activations in extractor(content_image).items():
    names = CONTENT_LAYERS if kind == "content" else STYLE_LAYERS
    for name, activation in zip(names, activations, strict=True):
        print(f"{kind:8s} {name:13s} {tuple(activation.shape)}")
""")

md(r"""
## Part 3: the Gram matrix

Let $F$ be one image's activations in a layer: $C$ feature maps of $H \times W$ positions, or,
with the positions flattened, a matrix of shape $(HW, C)$, one row of $C$ numbers per position.
Its Gram matrix is
$$G = \frac{1}{HW}\,F^\top F, \qquad G_{cd} = \frac{1}{HW}\sum_{h=1}^{H}\sum_{w=1}^{W} F_{hwc}\,F_{hwd},$$
a $C \times C$ matrix: $G_{cd}$ is large where features $c$ and $d$ are strong at the same places.
The sum over positions throws away *where*; what is left, which features come together and how
strongly, is the texture. Dividing by $HW$ makes it an average, the same for a large and a small
image of one texture.

`gram_matrix(features)`: $(B, H, W, C) \to (B, C, C)$, one Gram matrix per image of the batch,
never mixing two, for any $B$, $H$, $W$ and $C$.
`keras.ops.einsum("bhwc,bhwd->bcd", features, features)` computes the sums in one call, and
`keras.ops.shape(features)` gives $H$ and $W$. (The book flattened the activations with
`tf.squeeze`, which works for a batch of one only, and `keras.backend.batch_flatten`, which
Keras 3 removed.)
""", r"""
## 第 3 部分：Gram 矩阵

设 $F$ 是一张图像在某一层的激活：$C$ 个特征图，每个有 $H \times W$ 个位置；把位置展平之后，它是形状为
$(HW, C)$ 的矩阵，每个位置一行，每行 $C$ 个数。它的 Gram 矩阵是
$$G = \frac{1}{HW}\,F^\top F, \qquad G_{cd} = \frac{1}{HW}\sum_{h=1}^{H}\sum_{w=1}^{W} F_{hwc}\,F_{hwd},$$
一个 $C \times C$ 的矩阵：当特征 $c$ 和 $d$ 在相同的地方都很强时，$G_{cd}$ 就大。对位置求和丢掉了
*在哪里*；剩下的是哪些特征一起出现、强度多大，这就是纹理。除以 $HW$ 使它成为平均值，对同一种纹理的
大图和小图都一样。

`gram_matrix(features)`：$(B, H, W, C) \to (B, C, C)$，批次中每张图像一个 Gram 矩阵，绝不把两张图像
混在一起，对任意的 $B$、$H$、$W$ 和 $C$ 都适用。`keras.ops.einsum("bhwc,bhwd->bcd", features,
features)` 一次算出这些和，`keras.ops.shape(features)` 给出 $H$ 和 $W$。（原书用 `tf.squeeze` 展平
激活，这只对大小为 1 的批次有效，还用了 `keras.backend.batch_flatten`，而 Keras 3 已经删除了它。）
""")

solution("gram_matrix", r'''
def gram_matrix(features):
    """features (B, H, W, C) -> (B, C, C): for each sample b, G[b, c, d] = the sum over the
    H * W positions (h, w) of features[b, h, w, c] * features[b, h, w, d], divided by H * W."""
    ### BEGIN SOLUTION
    shape = keras.ops.shape(features)
    positions = keras.ops.cast(shape[1] * shape[2], features.dtype)
    return keras.ops.einsum("bhwc,bhwd->bcd", features, features) / positions
    ### END SOLUTION
''', 2)

md(r"""
## Part 4: the losses

Let $x$ be the image being optimised, $p$ the photograph and $a$ the painting; $F^l(\cdot)$ the
activations of layer $l$ and $G^l(\cdot)$ their Gram matrix. With $L_c$ content layers and $L_s$
style layers:

- the **content loss**, the mean squared error between activations, averaged over the content
  layers:
  $$\mathcal{L}_\text{content} = \frac{1}{L_c}\sum_{l} \operatorname{mean}\big[\big(F^l(x) - F^l(p)\big)^2\big];$$
- the **style loss**, the mean squared error between Gram matrices, averaged over the style
  layers:
  $$\mathcal{L}_\text{style} = \frac{1}{L_s}\sum_{l} \operatorname{mean}\big[\big(G^l(x) - G^l(a)\big)^2\big];$$
- the **total variation**, the mean absolute difference between neighbouring pixels, down and
  across:
  $$\mathcal{L}_\text{tv} = \operatorname{mean}\,|x_{i+1,j} - x_{i,j}| + \operatorname{mean}\,|x_{i,j+1} - x_{i,j}|;$$
- the total, $\mathcal{L} = \alpha\,\mathcal{L}_\text{content} + \beta\,\mathcal{L}_\text{style} +
  \gamma\,\mathcal{L}_\text{tv}$.

Each mean is over every number of its tensor: the batch, the positions (or both channel axes of a
Gram matrix) and the channels. The paper writes sums, with factors $\tfrac{1}{2}$ and
$\tfrac{1}{4N_l^2M_l^2}$; a mean differs from them by a constant factor per layer, which the
weights absorb. Total variation is not in Gatys et al.'s paper: later work added it (Johnson,
Alahi and Fei-Fei, 2016, after Mahendran and Vedaldi, 2015) against the pixel-level noise that
the gradient through the network brings: a smooth image pays little, a speckled one a lot.

The targets are computed once, before the optimisation: `content_targets` is the list of the
photograph's content activations, and `style_targets` the list of the painting's Gram matrices,
each of shape $(1, C, C)$, which serves every image of a batch (broadcasting).

- `content_loss(features, targets)`: two lists of activations, layer by layer of equal shapes.
- `style_loss(features, target_grams)`: the image's style activations and the painting's Gram
  matrices; it uses your `gram_matrix`.
- `total_variation(images)`: a batch $(B, H, W, C)$.
- `transfer_loss(features, images, content_targets, style_targets, content_weight, style_weight,
  tv_weight)`: `features` is the extractor's dict for `images`; it calls the three functions above
  and returns `(total, content, style, tv)`.
""", r"""
## 第 4 部分：损失

设 $x$ 是正在优化的图像，$p$ 是照片，$a$ 是画作；$F^l(\cdot)$ 是第 $l$ 层的激活，$G^l(\cdot)$ 是它们
的 Gram 矩阵。设有 $L_c$ 个内容层和 $L_s$ 个风格层：

- **内容损失**：激活之间的均方误差，在内容层上取平均：
  $$\mathcal{L}_\text{content} = \frac{1}{L_c}\sum_{l} \operatorname{mean}\big[\big(F^l(x) - F^l(p)\big)^2\big];$$
- **风格损失**：Gram 矩阵之间的均方误差，在风格层上取平均：
  $$\mathcal{L}_\text{style} = \frac{1}{L_s}\sum_{l} \operatorname{mean}\big[\big(G^l(x) - G^l(a)\big)^2\big];$$
- **全变差**：相邻像素之间（向下和向右）差的绝对值的平均：
  $$\mathcal{L}_\text{tv} = \operatorname{mean}\,|x_{i+1,j} - x_{i,j}| + \operatorname{mean}\,|x_{i,j+1} - x_{i,j}|;$$
- 总损失：$\mathcal{L} = \alpha\,\mathcal{L}_\text{content} + \beta\,\mathcal{L}_\text{style} +
  \gamma\,\mathcal{L}_\text{tv}$。

每个平均都取遍它的张量的所有数：批次、位置（对 Gram 矩阵是两个通道轴）和通道。论文写的是求和，带有
因子 $\tfrac{1}{2}$ 和 $\tfrac{1}{4N_l^2M_l^2}$；平均与它们只差每层一个常数因子，由权重吸收。全变差
不在 Gatys 等人的论文里：后来的工作（Johnson、Alahi 和 Fei-Fei，2016，沿用 Mahendran 和 Vedaldi，
2015）加入了它，用来对付经过网络的梯度带来的像素级噪声：平滑的图像付出很少，布满斑点的图像付出很多。

目标只在优化之前计算一次：`content_targets` 是照片的内容激活组成的列表，`style_targets` 是画作的
Gram 矩阵组成的列表，每个形状为 $(1, C, C)$，通过广播为批次中的每张图像所用。

- `content_loss(features, targets)`：两个激活列表，逐层形状相同。
- `style_loss(features, target_grams)`：图像的风格激活和画作的 Gram 矩阵；它使用你的 `gram_matrix`。
- `total_variation(images)`：一个批次 $(B, H, W, C)$。
- `transfer_loss(features, images, content_targets, style_targets, content_weight, style_weight,
  tv_weight)`：`features` 是特征提取器对 `images` 给出的字典；它调用上面三个函数，返回
  `(total, content, style, tv)`。
""")

solution("nst_losses", r'''
def content_loss(features, targets):
    """The mean over the layers of mean((F - P) ** 2), where features (F) and targets (P) are
    lists with one activation tensor per content layer, layer by layer of the same shape; the
    inner mean is over every number (batch, positions, channels)."""
    ### BEGIN SOLUTION
    per_layer = [
        keras.ops.mean(keras.ops.square(f - p)) for f, p in zip(features, targets, strict=True)
    ]
    return keras.ops.mean(keras.ops.stack(per_layer))
    ### END SOLUTION


def style_loss(features, target_grams):
    """The mean over the layers of mean((gram_matrix(F) - A) ** 2), where features (F, each
    (B, H, W, C)) and target_grams (A, each (1, C, C), or (B, C, C)) have one entry per style
    layer; the inner mean is over the batch and both channel axes, A serving every sample."""
    ### BEGIN SOLUTION
    per_layer = [
        keras.ops.mean(keras.ops.square(gram_matrix(f) - a))
        for f, a in zip(features, target_grams, strict=True)
    ]
    return keras.ops.mean(keras.ops.stack(per_layer))
    ### END SOLUTION


def total_variation(images):
    """images (B, H, W, C) -> mean |x[:, i + 1, j] - x[:, i, j]|
    + mean |x[:, i, j + 1] - x[:, i, j]|, each mean over the batch, the positions and the
    channels."""
    ### BEGIN SOLUTION
    down = keras.ops.abs(images[:, 1:, :, :] - images[:, :-1, :, :])
    across = keras.ops.abs(images[:, :, 1:, :] - images[:, :, :-1, :])
    return keras.ops.mean(down) + keras.ops.mean(across)
    ### END SOLUTION


def transfer_loss(
    features, images, content_targets, style_targets, content_weight, style_weight, tv_weight
):
    """(total, content, style, tv): content = content_loss(features["content"], content_targets),
    style = style_loss(features["style"], style_targets), tv = total_variation(images), and
    total = content_weight * content + style_weight * style + tv_weight * tv."""
    ### BEGIN SOLUTION
    content = content_loss(features["content"], content_targets)
    style = style_loss(features["style"], style_targets)
    tv = total_variation(images)
    total = content_weight * content + style_weight * style + tv_weight * tv
    return total, content, style, tv
    ### END SOLUTION
''', 3)

md(r"""
## Part 5: one step of the optimisation

The image is a `tf.Variable`, the one thing the optimiser changes.
`make_transfer_step(extractor, content_targets, style_targets, optimizer, content_weight,
style_weight, tv_weight)` returns a `tf.function` `step(image)` that

1. under a `tf.GradientTape`, computes `features = extractor(image)` and `total, content, style,
   tv = transfer_loss(features, image, content_targets, style_targets, content_weight,
   style_weight, tv_weight)`;
2. takes the gradient of `total` with respect to `image` (a variable: the tape watches it);
3. applies it with `optimizer.apply_gradients([(gradient, image)])`;
4. clips the image back to $[0, 1]$, `image.assign(tf.clip_by_value(image, 0.0, 1.0))`: values
   outside that range are not colours, and the network never saw them;
5. returns `(total, content, style, tv)`, computed before the update.

The network's weights never change: give the optimiser the image alone. (The tape may well
record the network's variables too; `apply_gradients` decides what moves.)
""", r"""
## 第 5 部分：优化的一步

图像是一个 `tf.Variable`，是优化器唯一改变的东西。`make_transfer_step(extractor, content_targets,
style_targets, optimizer, content_weight, style_weight, tv_weight)` 返回一个 `tf.function`
`step(image)`，它

1. 在 `tf.GradientTape` 之下计算 `features = extractor(image)` 和 `total, content, style, tv =
   transfer_loss(features, image, content_targets, style_targets, content_weight, style_weight,
   tv_weight)`；
2. 求 `total` 对 `image` 的梯度（`image` 是变量：梯度带会监视它）；
3. 用 `optimizer.apply_gradients([(gradient, image)])` 应用这个梯度；
4. 把图像裁剪回 $[0, 1]$，`image.assign(tf.clip_by_value(image, 0.0, 1.0))`：超出这个范围的值不是
   颜色，网络也从未见过它们；
5. 返回更新之前计算的 `(total, content, style, tv)`。

网络的权重永远不变：只把图像交给优化器。（梯度带很可能也记录了网络的变量；由 `apply_gradients`
决定什么会移动。）
""")

solution("transfer_step", r'''
def make_transfer_step(
    extractor, content_targets, style_targets, optimizer, content_weight, style_weight, tv_weight
):
    """Return a tf.function step(image), image a tf.Variable (B, H, W, 3) in [0, 1]: the
    gradient of the total of transfer_loss(extractor(image), image, content_targets,
    style_targets, content_weight, style_weight, tv_weight) with respect to image, applied to
    image alone with optimizer, then image clipped to [0, 1]; returns (total, content, style,
    tv) computed before the update."""
    ### BEGIN SOLUTION
    @tf.function
    def step(image):
        with tf.GradientTape() as tape:
            features = extractor(image)
            losses = transfer_loss(
                features,
                image,
                content_targets,
                style_targets,
                content_weight,
                style_weight,
                tv_weight,
            )
        gradient = tape.gradient(losses[0], image)
        optimizer.apply_gradients([(gradient, image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))
        return losses

    return step
    ### END SOLUTION
''', 3)

md(r"""
## Painting

The optimiser is Adam with learning rate 0.02, $\beta_1 = 0.99$ and $\epsilon = 0.1$ (the book's
settings). With pixels in $[0, 1]$, a step of at most about 0.02 changes a pixel by 2% of its
range; the large $\epsilon$ makes Adam behave like plain gradient descent where gradients are
small, instead of blowing them up to full steps. The image starts as the photograph itself: its
layout is there from the first step (Gatys et al. started from white noise, which takes longer).

The weights $\alpha$, $\beta$ and $\gamma$ depend on the scale of the features, and so on the
network's weights:

- random weights: $\alpha = 1$, $\beta = 3 \cdot 10^{-4}$, $\gamma = 10^{4}$, chosen on these
  images at 128 pixels: a smaller $\beta$ leaves the photograph as it was, a larger one hides the
  fruit, and without $\gamma$ the image fills with coloured speckles;
- ImageNet weights: $\alpha = 1$, $\beta = 10^{-5}$ (the book's balance), $\gamma = 10^{3}$. They
  could not be tried on the course's machines, which cannot download the weights: take them as a
  starting point, and raise $\beta$ for more style or $\alpha$ for more of the photograph.

Quick mode optimises 100 steps at 128 pixels (seconds on a CPU); the full run 1,500 steps
at 512 pixels (minutes on a GPU, an hour or more on a CPU). A snapshot is kept every tenth of the
run.
""", r"""
## 作画

优化器是 Adam，学习率 0.02，$\beta_1 = 0.99$，$\epsilon = 0.1$（原书的设置）。像素在 $[0, 1]$
中时，一步最多大约 0.02，使一个像素改变它取值范围的 2%；较大的 $\epsilon$ 使 Adam 在梯度很小的地方
表现得像普通的梯度下降，而不是把小梯度放大成完整的一步。图像从照片本身开始：它的布局从第一步起就在
那里（Gatys 等人从白噪声开始，需要更长时间）。

权重 $\alpha$、$\beta$ 和 $\gamma$ 取决于特征的尺度，因而取决于网络的权重：

- 随机权重：$\alpha = 1$，$\beta = 3 \cdot 10^{-4}$，$\gamma = 10^{4}$，是在这两张 128 像素的图像上
  选出的：$\beta$ 更小时照片几乎不变，更大时水果被遮住，没有 $\gamma$ 时图像布满彩色斑点；
- ImageNet 权重：$\alpha = 1$，$\beta = 10^{-5}$（原书的比例），$\gamma = 10^{3}$。课程的机器无法下载
  这些权重，因此没能试过它们：把它们当作起点，想要更多风格就增大 $\beta$，想要更多照片就增大 $\alpha$。

快速模式在 128 像素上优化 100 步（CPU 上只要几秒）；完整运行在 512 像素上优化 1,500 步（GPU 上几分钟，
CPU 上一小时或更久）。每隔运行的十分之一保存一张快照。
""")

code(r"""
STEPS = 100 if QUICK else 1_500
SNAPSHOTS = 10
if PRETRAINED:
    CONTENT_WEIGHT, STYLE_WEIGHT, TV_WEIGHT = 1.0, 1e-5, 1e3
else:
    CONTENT_WEIGHT, STYLE_WEIGHT, TV_WEIGHT = 1.0, 3e-4, 1e4


def new_optimizer():
    return keras.optimizers.Adam(0.02, beta_1=0.99, epsilon=0.1)


content_targets = extractor(content_image)["content"]
style_targets = [gram_matrix(f) for f in extractor(style_image)["style"]]
image = tf.Variable(content_image)
step = make_transfer_step(
    extractor,
    content_targets,
    style_targets,
    new_optimizer(),
    CONTENT_WEIGHT,
    STYLE_WEIGHT,
    TV_WEIGHT,
)
history = {"total": [], "content": [], "style": [], "tv": []}
snapshots = []
start = time.perf_counter()
for index in progress(range(STEPS), description="style transfer"):
    losses = step(image)
    for key, value in zip(history, losses, strict=True):
        history[key].append(float(value))
    if (index + 1) % (STEPS // SNAPSHOTS) == 0:
        snapshots.append(image.numpy()[0])
print(f"{STEPS} steps in {time.perf_counter() - start:.0f} s; last losses:")
print("  ".join(f"{key} {values[-1]:.4g}" for key, values in history.items()))
""")

code(r"""
plt.figure(figsize=(12, 3))
plt.imshow(image_grid(np.stack(snapshots), columns=SNAPSHOTS))
plt.title(f"every {STEPS // SNAPSHOTS} steps")
plt.axis("off")
plt.show()

fig, axes = plt.subplots(1, 4, figsize=(14, 3))
for axis, (key, values) in zip(axes, history.items(), strict=True):
    axis.plot(values)
    axis.set_title(key)
    axis.set_xlabel("step")
    axis.set_yscale("log")
plt.tight_layout()
plt.show()

fig, axes = plt.subplots(1, 3, figsize=(15, 4))
panels = (content_image[0], image.numpy()[0], style_image[0])
for axis, picture, title in zip(axes, panels, ("content", "result", "style"), strict=True):
    axis.imshow(picture)
    axis.set_title(title)
    axis.axis("off")
plt.show()
""")

md(r"""
## Each loss alone

Two short runs show what each term does without the other, both starting from the same grey
image with a little noise, both with the total variation term:

- **content only** ($\beta = 0$): an image whose `block4_conv2` activations match the
  photograph's. With ImageNet's weights the fruit's layout comes back, but not its exact
  colours and fine detail: deep features hardly depend on them, so many images share the same
  activations (Mahendran and Vedaldi, *Understanding Deep Image Representations by Inverting
  Them*, 2015). With random weights very little comes back: the features of random filters are
  shared by so many images, most of them noisy, that matching them says little about the
  photograph. This is the selectivity that training gives, seen from the other side.
- **style only** ($\alpha = 0$): **texture synthesis**, an image whose Gram matrices match the
  painting's. Its colours and texture spread over the whole image with no trace of the painting's
  layout: the Gram matrices do not know where anything was.

Quick mode runs 50 steps of each, which only starts them; the full run 500.
""", r"""
## 每个损失单独起作用

两次简短的运行展示每一项在没有另一项时起什么作用，两者都从同一张带有少许噪声的灰色图像开始，都带有
全变差项：

- **只有内容**（$\beta = 0$）：一张 `block4_conv2` 激活与照片相符的图像。用 ImageNet 的权重时，水果的
  布局回来了，但确切的颜色和细节没有：深层特征几乎不依赖于它们，所以许多图像有着相同的激活
  （Mahendran 和 Vedaldi，*Understanding Deep Image Representations by Inverting Them*，2015）。
  用随机权重时，回来的东西很少：随机滤波器的特征为如此多的图像（其中大多数布满噪声）所共有，与它们相符
  几乎说明不了照片的什么。这正是训练带来的选择性，只是从另一面看到的。
- **只有风格**（$\alpha = 0$）：**纹理合成**，一张 Gram 矩阵与画作相符的图像。画作的颜色和纹理铺满
  整张图像，却没有画作布局的任何痕迹：Gram 矩阵不知道任何东西曾经在哪里。

快速模式各运行 50 步，只是开了个头；完整运行各 500 步。
""")

code(r"""
DEMO_STEPS = 50 if QUICK else 500
grey = 0.5 + 0.05 * np.random.default_rng(0).normal(size=content_image.shape)
grey = np.clip(grey, 0.0, 1.0).astype(np.float32)


def optimise_from(start, content_weight, style_weight, tv_weight, steps):
    picture = tf.Variable(start)
    demo_step = make_transfer_step(
        extractor,
        content_targets,
        style_targets,
        new_optimizer(),
        content_weight,
        style_weight,
        tv_weight,
    )
    for _ in progress(range(steps), description="demo"):
        last = demo_step(picture)
    return picture.numpy()[0], [float(value) for value in last]


content_only, content_losses = optimise_from(grey, CONTENT_WEIGHT, 0.0, TV_WEIGHT, DEMO_STEPS)
style_only, style_losses = optimise_from(grey, 0.0, STYLE_WEIGHT, TV_WEIGHT, DEMO_STEPS)
print(f"content only: content loss {content_losses[1]:.4g}")
print(f"style only: style loss {style_losses[2]:.4g}")
fig, axes = plt.subplots(1, 3, figsize=(15, 4))
panels = (grey[0], content_only, style_only)
titles = ("start", "content only", "style only")
for axis, picture, title in zip(axes, panels, titles, strict=True):
    axis.imshow(picture)
    axis.set_title(title)
    axis.axis("off")
plt.show()
""")

md(r"""
## Summary

- A classifier's activations separate content (deep layers, compared position by position) from
  style (Gram matrices, averaged over positions).
- Neural style transfer optimises the pixels of an image, with the network frozen, to match the
  photograph's content and the painting's style; total variation keeps the image smooth.
- VGG19 reads Caffe-style input: 0 to 255, BGR, ImageNet's means subtracted, the channels
  reversed exactly once.
- A Gram matrix is computed per image: $F^\top F / (HW)$.
- Even random filters carry texture statistics, though trained ones carry more.

Each new pair of images costs a whole optimisation here. The next notebook trains a network that
stylises an image in a single forward pass, with adaptive instance normalisation (AdaIN).
""", r"""
## 小结

- 分类器的激活把内容（深层，逐个位置比较）与风格（Gram 矩阵，对位置取平均）分开。
- 神经风格迁移在网络冻结的情况下优化一张图像的像素，使它与照片的内容和画作的风格相符；全变差使图像
  保持平滑。
- VGG19 读取 Caffe 风格的输入：0 到 255，BGR，减去 ImageNet 的均值，通道恰好反转一次。
- Gram 矩阵按每张图像计算：$F^\top F / (HW)$。
- 即使是随机滤波器也携带纹理统计，只是训练过的滤波器携带得更多。

在这里，每一对新的图像都要进行一次完整的优化。下一个笔记本训练一个网络，用自适应实例归一化（AdaIN）
一次前向传播就完成图像的风格化。
""")

count = book.write(sys.argv[1], "neural-style-transfer")
print("wrote", sys.argv[1], count, "cells")
