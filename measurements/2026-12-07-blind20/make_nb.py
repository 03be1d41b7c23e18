"""Writes source/ch04_image_translation/bicyclegan.ipynb (the master notebook).
Chinese cells come from /tmp/me/bg/zh.json ({english text: chinese text}) when present."""
import json, os, sys

ZH = json.load(open("/tmp/me/bg/zh.json")) if os.path.exists("/tmp/me/bg/zh.json") else {}
cells = []


def md(en):
    en = en.strip("\n")
    cells.append({"cell_type": "markdown", "metadata": {"course": {"lang": "en"}}, "source": en})
    cells.append({"cell_type": "markdown", "metadata": {"course": {"lang": "zh"}}, "source": ZH.get(en, "（待译）\n\n" + en)})


def code(src, export=False):
    meta = {"tags": ["export"]} if export else {}
    cells.append({"cell_type": "code", "metadata": meta, "source": src.strip("\n"), "execution_count": None, "outputs": []})


def solution(part, src, points):
    cells.append({"cell_type": "code", "metadata": {"nbgrader": {"grade": False, "grade_id": part, "locked": False, "schema_version": 3, "solution": True, "task": False}}, "source": src.strip("\n"), "execution_count": None, "outputs": []})
    check(part, points)


def check(part, points):
    cells.append({"cell_type": "code", "metadata": {"nbgrader": {"grade": True, "grade_id": f"{part}_check", "locked": True, "points": points, "schema_version": 3, "solution": False, "task": False}}, "source": f'check_part("ch04_image_translation", "{part}", globals())', "execution_count": None, "outputs": []})


md(r"""
# Chapter 4, part 4: BicycleGAN

pix2pix draws **one** shoe for a drawing. Yet a line drawing does not say how dark the leather
is or where the light falls: many shoes fit it. pix2pix's generator has no way to choose among
them (its dropout adds a little noise, which it learns to ignore), so it draws something like
their average. **BicycleGAN** (Zhu, Zhang, Pathak, Darrell, Efros, Wang and Shechtman, *Toward
Multimodal Image-to-Image Translation*, 2017) gives the generator a small **latent code**
$\mathbf{z}$ of 8 numbers beside the drawing, and trains it so that different codes give
different, believable shoes, and every shoe has a code:

- **cVAE-GAN** (image → code → image): an **encoder** $E$ reads the real shoe $\mathbf{b}$ and
  returns a Gaussian over codes; a code drawn from it, given to $G$ with the drawing
  $\mathbf{a}$, must give the shoe back (L1), and the Gaussian must stay near $\mathcal{N}(0, I)$
  (the KL term of chapter 2's VAE);
- **cLR-GAN** (code → image → code): a code drawn from $\mathcal{N}(0, I)$ gives a shoe
  $G(\mathbf{a}, \mathbf{z})$, from which $E$ must recover the code (**latent regression**);
  without it $G$ could ignore $\mathbf{z}$;
- a discriminator for each path, trained with part 3's least-squares loss.

The two cycles, image → code → image and code → image → code, give the model its name.

| part | what you write | points |
|---|---|---|
| `latent_encoder` | `build_latent_encoder(z_dim, filters, channels)`, `sample_latent(mu, log_var, noise)` | 3 |
| `latent_injection` | `tile_latent(z, height, width)`, `join_latent(images, z)` | 2 |
| `bicycle_losses` | `kl_divergence(mu, log_var)`, `latent_regression_loss(z, mu)` | 2 |
| `bicycle_steps` | `make_bicycle_steps(generator, encoder, d_vae, d_lr, g_optimizer, d_optimizer, image_weight, kl_weight, latent_weight)` | 3 |
| `trained_bicyclegan` | the trained generator's files, handed in with the notebook | 2 |
""")

code(r"""
import json
import time

import matplotlib.pyplot as plt

from igcourse.checks import check_part
from igcourse.data.derived import build_edges2shoes
from igcourse.evaluation import class_consistency, load_evaluator
from igcourse.notebook import image_grid, progress, quick_mode

QUICK = quick_mode()
""")

code(r"""
# The networks, losses and training steps below use these libraries.
import keras
import numpy as np
import tensorflow as tf

IMAGE_SIZE = 32  # drawings and shoes are (B, 32, 32, channels) in [-1, 1]
""", export=True)

md(r"""
## Data: edges to shoes, again

The same offline pairs as pix2pix's: sandals, sneakers and ankle boots from Fashion-MNIST,
enlarged to 32 × 32, each with its edges found by the Canny detector (18,000 training pairs,
3,000 test pairs). An edge map keeps the outline and the seams and loses the shading: a light
and a dark shoe with the same outline have the same drawing. That lost part is what $\mathbf{z}$
can carry. The book trains on the photographs of *edges2shoes* (256 × 256, a download:
`igcourse data fetch edges2shoes`).
""")

code(r"""
train = build_edges2shoes("train", size=IMAGE_SIZE)
test = build_edges2shoes("test", size=IMAGE_SIZE)


def to_model_range(images):
    # uint8 (N, 32, 32) -> float32 (N, 32, 32, 1) in [-1, 1]
    return (images.astype(np.float32) / 127.5 - 1.0)[..., None]


train_edges, train_shoes = to_model_range(train.edges), to_model_range(train.shoes)
test_edges, test_shoes = to_model_range(test.edges), to_model_range(test.shoes)
print(f"{len(train_edges):,} training pairs, {len(test_edges):,} test pairs")
pairs = np.concatenate([train_edges[:8], train_shoes[:8]])
plt.imshow(image_grid((pairs + 1) / 2, columns=8), cmap="gray")
plt.axis("off")
plt.show()
""")

md(r"""
## The encoder and the reparameterisation trick

$E$ reads a shoe and returns the mean $\boldsymbol{\mu}$ and the log-variance
$\log \boldsymbol{\sigma}^2$ of a Gaussian over codes, as chapter 2's VAE encoder did. With
$F$ = `filters`:

| `build_latent_encoder(z_dim, filters, channels)` | output shape |
|---|---|
| input: shoes | $(B, 32, 32, \text{channels})$ |
| Conv2D $F$, $4 \times 4$, stride 2, same, LeakyReLU 0.2 | $(B, 16, 16, F)$ |
| Conv2D $2F$, $4 \times 4$, stride 2, same (no bias), instance norm, LeakyReLU 0.2 | $(B, 8, 8, 2F)$ |
| Conv2D $4F$, $4 \times 4$, stride 2, same (no bias), instance norm, LeakyReLU 0.2 | $(B, 4, 4, 4F)$ |
| GlobalAveragePooling2D | $(B, 4F)$ |
| two Dense layers of `z_dim` units, both reading that vector: $\boldsymbol{\mu}$ and $\log \boldsymbol{\sigma}^2$ | $(B, z)$ each |

It returns `keras.Model(shoes, [mu, log_var])`. Instance norm is `instance_norm()` below (part
2's `GroupNormalization(groups=-1)`).

A code drawn from that Gaussian must let gradients reach $\boldsymbol{\mu}$ and
$\log \boldsymbol{\sigma}^2$: draw the randomness apart, $\boldsymbol{\epsilon} \sim
\mathcal{N}(0, I)$, and compute $\mathbf{z} = \boldsymbol{\mu} + \exp(\tfrac{1}{2}\log
\boldsymbol{\sigma}^2) \odot \boldsymbol{\epsilon}$ (the **reparameterisation trick**).
`sample_latent(mu, log_var, noise)` takes $\boldsymbol{\epsilon}$ as `noise`, of `mu`'s shape,
so that the training step decides what it draws. (The book's sampling layer drew a noise of
shape $(1, 8)$ whatever the batch: it worked only for batches of one.)
""")

code(r"""
def instance_norm():
    # One group per channel: each image's channel is normalised over its height and width.
    return keras.layers.GroupNormalization(groups=-1, epsilon=1e-5)
""", export=True)

solution("latent_encoder", r'''
def build_latent_encoder(z_dim=8, filters=16, channels=1):
    """E: shoes (B, 32, 32, channels) -> [mu, log_var], each (B, z_dim), as the table says."""
    ### BEGIN SOLUTION
    layers = keras.layers
    shoes = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(shoes)
    x = layers.LeakyReLU(0.2)(x)
    for width in (2 * filters, 4 * filters):
        x = layers.Conv2D(width, 4, strides=2, padding="same", use_bias=False)(x)
        x = layers.LeakyReLU(0.2)(instance_norm()(x))
    x = layers.GlobalAveragePooling2D()(x)
    mu = layers.Dense(z_dim)(x)
    log_var = layers.Dense(z_dim)(x)
    return keras.Model(shoes, [mu, log_var], name="latent_encoder")
    ### END SOLUTION


def sample_latent(mu, log_var, noise):
    """z = mu + exp(log_var / 2) * noise, where noise ~ N(0, I) has mu's shape."""
    ### BEGIN SOLUTION
    return mu + keras.ops.exp(0.5 * log_var) * noise
    ### END SOLUTION
''', 3)

md(r"""
## Giving the code to the generator

The generator is pix2pix's U-Net. The code joins the drawing at its input: $\mathbf{z}$, of
shape $(B, z)$, is copied to every pixel, $(B, H, W, z)$, and concatenated with the drawing's
channels, $(B, H, W, C + z)$ (the paper's *add-to-input*; it also tried adding $\mathbf{z}$ to
every layer of the encoder, with similar results).

- `tile_latent(z, height, width)`: $(B, z) \to (B, \text{height}, \text{width}, z)$; pixel
  $(i, j)$ of sample $b$ holds `z[b]`.
- `join_latent(images, z)`: $(B, H, W, C)$ and $(B, z) \to (B, H, W, C + z)$, the image's
  channels first, then the tiled code.

The generator calls `join_latent` inside a layer of its own, so TensorFlow or `keras.ops`
both work. Mind the tiling's multiples: `tf.tile(z[:, None, None, :], [1, H, W, 1])` repeats
the code over the pixels only. (The book's `tf.tile(z, [B, H, W, z_dim])` also repeats it along
the channels, giving $z^2 = 64$ channels instead of 8.)
""")

solution("latent_injection", r'''
def tile_latent(z, height, width):
    """(B, z_dim) -> (B, height, width, z_dim): every pixel holds the whole code."""
    ### BEGIN SOLUTION
    z = keras.ops.expand_dims(keras.ops.expand_dims(z, 1), 1)
    return keras.ops.tile(z, (1, height, width, 1))
    ### END SOLUTION


def join_latent(images, z):
    """images (B, H, W, C) and z (B, z_dim) -> (B, H, W, C + z_dim): the image's channels,
    then the tiled code."""
    ### BEGIN SOLUTION
    height, width = images.shape[1], images.shape[2]
    return keras.ops.concatenate([images, tile_latent(z, height, width)], axis=-1)
    ### END SOLUTION
''', 2)

md(r"""
## The networks (given)

The generator is part 2's U-Net without its dropout ($\mathbf{z}$ now brings the randomness),
its input the drawing joined with the code; it is called as `generator([edges, z])`. Each
discriminator is a PatchGAN that judges a shoe alone, $8 \times 8$ scores per image, with part
3's least-squares losses: $D_{\text{VAE}}$ sees the shoes that the encoded codes give,
$D_{\text{LR}}$ the shoes that random codes give (the paper found two discriminators a little
better than one).
""")

code(r"""
class JoinLatent(keras.layers.Layer):
    # Calls your join_latent on the layer's inputs.
    def call(self, images, z):
        return join_latent(images, z)


def build_bicycle_generator(z_dim=8, filters=16, channels=1):
    # [edges (B, 32, 32, channels), z (B, z_dim)] -> shoes (B, 32, 32, channels) in [-1, 1]
    layers = keras.layers
    edges = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels), name="edges")
    z = keras.Input((z_dim,), name="z")
    x = JoinLatent()(edges, z)
    skips = []
    for index, width in enumerate((filters, 2 * filters, 4 * filters, 4 * filters)):
        x = layers.Conv2D(width, 4, strides=2, padding="same", use_bias=index == 0)(x)
        if index > 0:
            x = instance_norm()(x)
        x = layers.LeakyReLU(0.2)(x)
        skips.append(x)  # 16, 8, 4 and 2 pixels wide
    for width, skip in zip((4 * filters, 2 * filters, filters), skips[-2::-1], strict=True):
        x = layers.Conv2DTranspose(width, 4, strides=2, padding="same", use_bias=False)(x)
        x = layers.ReLU()(instance_norm()(x))
        x = layers.Concatenate()([x, skip])
    shoes = layers.Conv2DTranspose(channels, 4, strides=2, padding="same", activation="tanh")(x)
    return keras.Model([edges, z], shoes, name="bicycle_generator")


def build_discriminator(filters=16, channels=1):
    # PatchGAN on one image: (B, 32, 32, channels) -> scores (B, 8, 8, 1)
    layers = keras.layers
    images = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = layers.LeakyReLU(0.2)(layers.Conv2D(filters, 4, strides=2, padding="same")(images))
    x = layers.LeakyReLU(0.2)(layers.Conv2D(2 * filters, 4, strides=2, padding="same")(x))
    return keras.Model(images, layers.Conv2D(1, 4, padding="same")(x), name="patch_discriminator")


def lsgan_discriminator_loss(real_scores, fake_scores):
    # 0.5 * (mean (real - 1)^2 + mean fake^2)
    real = keras.ops.mean(keras.ops.square(real_scores - 1.0))
    return 0.5 * (real + keras.ops.mean(keras.ops.square(fake_scores)))


def lsgan_generator_loss(fake_scores):
    # mean (fake - 1)^2
    return keras.ops.mean(keras.ops.square(fake_scores - 1.0))
""", export=True)

md(r"""
## The two new losses

- The **KL term** pulls each encoded Gaussian towards $\mathcal{N}(0, I)$, so that random codes
  drawn at test time look like the codes of real shoes. For one sample,
  $$\mathrm{KL} = \tfrac{1}{2}\sum_{k=1}^{z}\left(\sigma_k^2 + \mu_k^2 - 1 - \log\sigma_k^2\right),$$
  summed over the code's dimensions; `kl_divergence(mu, log_var)` returns its **mean over the
  batch** (the book's summed over the batch as well, so its weight changed with the batch size).
- The **latent regression** loss compares the random code $\mathbf{z}$ that drew a shoe with
  the mean that $E$ reads back from that shoe: `latent_regression_loss(z, mu)` $=
  \operatorname{mean}|\mathbf{z} - \boldsymbol{\mu}|$ over every number.
""")

solution("bicycle_losses", r'''
def kl_divergence(mu, log_var):
    """KL(N(mu, exp(log_var)) || N(0, I)): summed over the code's dimensions, averaged over the
    batch."""
    ### BEGIN SOLUTION
    per_dimension = keras.ops.exp(log_var) + keras.ops.square(mu) - 1.0 - log_var
    return keras.ops.mean(0.5 * keras.ops.sum(per_dimension, axis=-1))
    ### END SOLUTION


def latent_regression_loss(z, mu):
    """mean |z - mu| over every number: the code a shoe was drawn from against E's mean for it."""
    ### BEGIN SOLUTION
    return keras.ops.mean(keras.ops.abs(z - mu))
    ### END SOLUTION
''', 2)

md(r"""
## The training steps

`make_bicycle_steps(generator, encoder, d_vae, d_lr, g_optimizer, d_optimizer, image_weight,
kl_weight, latent_weight)` returns two `tf.function`s, `(generator_step, discriminator_step)`.

`generator_step(edges, shoes, noise, random_z)` (all four of batch size $B$; `noise` and
`random_z` are $\mathcal{N}(0, I)$ draws of shape $(B, z)$ made by the caller):

1. cVAE-GAN: `mu, log_var = encoder(shoes)`, `z = sample_latent(mu, log_var, noise)`,
   `fake_vae = generator([edges, z])`;
2. cLR-GAN: `fake_lr = generator([edges, random_z])`, and `mu_lr` the first output of
   `encoder(fake_lr)`;
3. `total` = `lsgan_generator_loss(d_vae(fake_vae))` + `lsgan_generator_loss(d_lr(fake_lr))` +
   `image_weight` × mean $|\text{shoes} - \text{fake\_vae}|$ + `kl_weight` ×
   `kl_divergence(mu, log_var)`, and `latent = latent_regression_loss(random_z, mu_lr)`;
4. one update with `g_optimizer` of the generator's and the encoder's trainable variables:
   the generator's gradient is that of `total + latent_weight * latent`; the **encoder's is
   that of `total` alone**. The latent regression trains $G$ to draw shoes whose code can be
   read back; were $E$ trained on it too, it could meet $G$ halfway by reading codes from
   details that carry no look (the paper updates only $G$ with it);
5. return `(total, latent, fake_vae, fake_lr)`, the losses computed before the update.

`discriminator_step(shoes, fake_vae, fake_lr)`: `loss_vae =
lsgan_discriminator_loss(d_vae(shoes), d_vae(fake_vae))`, `loss_lr =
lsgan_discriminator_loss(d_lr(shoes), d_lr(fake_lr))`; one update of both discriminators'
trainable variables (`d_vae`'s, then `d_lr`'s) with the gradients of `loss_vae + loss_lr` and
`d_optimizer`; return `(loss_vae, loss_lr)`. Every network runs in training mode
(`training=True`), and each step changes only its own networks.
""")

solution("bicycle_steps", r'''
def make_bicycle_steps(
    generator,
    encoder,
    d_vae,
    d_lr,
    g_optimizer,
    d_optimizer,
    image_weight=10.0,
    kl_weight=0.01,
    latent_weight=0.5,
):
    """Return (generator_step, discriminator_step), two tf.functions:
    generator_step(edges, shoes, noise, random_z) -> (total, latent, fake_vae, fake_lr),
    updating the generator (total + latent_weight * latent) and the encoder (total alone);
    discriminator_step(shoes, fake_vae, fake_lr) -> (loss_vae, loss_lr), updating both
    discriminators."""
    ### BEGIN SOLUTION
    generator_variables = generator.trainable_variables
    encoder_variables = encoder.trainable_variables
    discriminator_variables = d_vae.trainable_variables + d_lr.trainable_variables

    @tf.function
    def generator_step(edges, shoes, noise, random_z):
        with tf.GradientTape(persistent=True) as tape:
            mu, log_var = encoder(shoes, training=True)
            z = sample_latent(mu, log_var, noise)
            fake_vae = generator([edges, z], training=True)
            fake_lr = generator([edges, random_z], training=True)
            adversarial = lsgan_generator_loss(d_vae(fake_vae, training=True))
            adversarial += lsgan_generator_loss(d_lr(fake_lr, training=True))
            image = keras.ops.mean(keras.ops.abs(shoes - fake_vae))
            total = adversarial + image_weight * image + kl_weight * kl_divergence(mu, log_var)
            mu_lr, _ = encoder(fake_lr, training=True)
            latent = latent_regression_loss(random_z, mu_lr)
            weighted_latent = latent_weight * latent
        shared = tape.gradient(total, generator_variables + encoder_variables)
        generator_only = tape.gradient(weighted_latent, generator_variables)
        del tape
        for index, gradient in enumerate(generator_only):
            if gradient is not None:
                shared[index] = gradient if shared[index] is None else shared[index] + gradient
        g_optimizer.apply_gradients(
            zip(shared, generator_variables + encoder_variables, strict=True)
        )
        return total, latent, fake_vae, fake_lr

    @tf.function
    def discriminator_step(shoes, fake_vae, fake_lr):
        with tf.GradientTape() as tape:
            loss_vae = lsgan_discriminator_loss(
                d_vae(shoes, training=True), d_vae(fake_vae, training=True)
            )
            loss_lr = lsgan_discriminator_loss(
                d_lr(shoes, training=True), d_lr(fake_lr, training=True)
            )
            loss = loss_vae + loss_lr
        gradients = tape.gradient(loss, discriminator_variables)
        d_optimizer.apply_gradients(zip(gradients, discriminator_variables, strict=True))
        return loss_vae, loss_lr

    return generator_step, discriminator_step
    ### END SOLUTION
''', 3)

md(r"""
## Training

Adam with learning rate $2 \cdot 10^{-4}$ and $\beta_1 = 0.5$ (the book's $10^{-4}$ is for
batches of one) for the generator with the encoder, and for the discriminators; batch 32,
`image_weight` 10, `kl_weight` 0.01, `latent_weight` 0.5 (the paper's and the book's), codes of
8 numbers. Quick mode (the autograder and CI) trains 600 steps, about half a minute on 2 CPU
cores; the full run 3,000. The figures of both runs are in
`solutions/ch04_image_translation/RESULTS.md`.
""")

code(r"""
Z_DIM = 8
FILTERS = 16
BATCH_SIZE = 32
STEPS = 600 if QUICK else 3_000
keras.utils.set_random_seed(0)

generator = build_bicycle_generator(Z_DIM, FILTERS, 1)
encoder = build_latent_encoder(Z_DIM, FILTERS, 1)
d_vae, d_lr = build_discriminator(FILTERS, 1), build_discriminator(FILTERS, 1)
print(f"generator {generator.count_params():,} parameters, encoder {encoder.count_params():,}")
generator_step, discriminator_step = make_bicycle_steps(
    generator,
    encoder,
    d_vae,
    d_lr,
    keras.optimizers.Adam(2e-4, beta_1=0.5),
    keras.optimizers.Adam(2e-4, beta_1=0.5),
    image_weight=10.0,
    kl_weight=0.01,
    latent_weight=0.5,
)

rng = np.random.default_rng(0)
history = {"total": [], "latent": [], "d_vae": [], "d_lr": []}
start = time.perf_counter()
for step in progress(range(STEPS), description="BicycleGAN"):
    rows = rng.integers(0, len(train_edges), BATCH_SIZE)
    edges, shoes = tf.constant(train_edges[rows]), tf.constant(train_shoes[rows])
    noise = tf.constant(rng.normal(size=(BATCH_SIZE, Z_DIM)).astype(np.float32))
    random_z = tf.constant(rng.normal(size=(BATCH_SIZE, Z_DIM)).astype(np.float32))
    total, latent, fake_vae, fake_lr = generator_step(edges, shoes, noise, random_z)
    loss_vae, loss_lr = discriminator_step(shoes, fake_vae, fake_lr)
    for key, value in zip(history, (total, latent, loss_vae, loss_lr), strict=True):
        history[key].append(float(value))
    if (step + 1) % 200 == 0:
        means = "  ".join(f"{key} {np.mean(values[-200:]):.3f}" for key, values in history.items())
        print(f"step {step + 1:5d}  {means}  {time.perf_counter() - start:4.0f} s")
""")

code(r"""
plt.figure(figsize=(8, 3))
for key, values in history.items():
    plt.plot(values, label=key)
plt.xlabel("step")
plt.yscale("log")
plt.legend()
plt.show()
""")

md(r"""
## Many shoes for one drawing

Each column below is one test drawing; each row one random code, the same for the whole row.
A generator that uses its code changes the shoes from row to row while keeping each column's
outline; one that ignores it repeats the same shoe down the column. Two measures, on the first
500 test drawings with two random codes each:

- **diversity**: how far apart the two shoes of a drawing are, measured in the evaluator's
  features (the distance between their 128-number embeddings; pixels would call two
  half-pixel shifts different);
- **fidelity**: the share of shoes that the evaluator files under the drawing's own class
  (sandal, sneaker or ankle boot): a code may change the look, not the kind of shoe.
""")

code(r"""
def shoes_for(generator, edges, codes, batch_size=250):
    # Inference mode, in batches.
    return np.concatenate(
        [
            np.asarray(generator([edges[i : i + batch_size], codes[i : i + batch_size]]))
            for i in range(0, len(edges), batch_size)
        ]
    )


def evaluator_view(images):
    # The evaluator reads 28 x 28 images in [0, 1].
    small = tf.image.resize((images + 1) / 2, (28, 28), method="area").numpy()
    return load_evaluator().features_and_probabilities(small)


count = 500
codes = np.random.default_rng(1).normal(size=(2, count, Z_DIM)).astype(np.float32)
first, second = (shoes_for(generator, test_edges[:count], c) for c in codes)
(features_1, probabilities_1), (features_2, _p) = evaluator_view(first), evaluator_view(second)
diversity = float(np.mean(np.linalg.norm(features_1 - features_2, axis=1)))
fidelity = class_consistency(probabilities_1, test.labels[:count]).accuracy
print(f"diversity {diversity:.2f}  fidelity {fidelity:.3f}")

row_codes = np.random.default_rng(2).normal(size=(5, Z_DIM)).astype(np.float32)
rows = [test_edges[:8]]
for code in row_codes:  # one code for the whole row
    rows.append(shoes_for(generator, test_edges[:8], np.repeat(code[None], 8, axis=0)))
plt.figure(figsize=(8, 6))
plt.imshow(image_grid((np.concatenate(rows) + 1) / 2, columns=8), cmap="gray")
plt.axis("off")
plt.show()
""")

md(r"""
### Hand in your trained generator

The cell below saves the trained generator's weights and the settings it was built with next to
this notebook. Submit both files with the notebook: the check after it (part
`trained_bicyclegan`) and the grader rebuild the generator with `build_bicycle_generator` (and
so with your `join_latent`) and measure its diversity and fidelity on test drawings.
""")

code(r"""
# The grader rebuilds the generator from these settings and measures it on test drawings.
generator.save_weights("bicyclegan_generator.weights.h5")
with open("bicyclegan_generator.json", "w") as f:
    json.dump({"z_dim": Z_DIM, "filters": FILTERS, "channels": 1}, f)
print("saved bicyclegan_generator.weights.h5 and bicyclegan_generator.json")
""")

check("trained_bicyclegan", 2)

md(r"""
## Summary

- BicycleGAN gives the generator a latent code beside its input, so one drawing can become
  many shoes.
- The cVAE-GAN path encodes a real shoe into a Gaussian over codes and asks the generator to
  draw that shoe back from a code drawn with the reparameterisation trick; the KL term keeps
  the Gaussians near $\mathcal{N}(0, I)$.
- The cLR-GAN path draws a random code and asks the encoder to read it back from the shoe;
  that latent regression updates the generator only.
- The code is tiled over the pixels, `z` channels and no more, and joined to the drawing.

This ends chapter 4. Chapter 5 turns from translation between domains to the transfer of a
painting's style.
""")

for index, cell in enumerate(cells):
    cell["id"] = f"bicyclegan-{index:02d}"
nb = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}, "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
json.dump(nb, open(sys.argv[1], "w"), indent=1, ensure_ascii=False)
print("wrote", sys.argv[1], len(cells), "cells")
