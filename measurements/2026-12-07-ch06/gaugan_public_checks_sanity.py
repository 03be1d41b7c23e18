# ruff: noqa: E501 (one wrong answer per line)
"""Sanity script of the draft (not the mutant zoo): hand-made wrong answers, each made by
replacing one piece of solutions/ch06_ai_painter/gaugan.py, run through the PUBLIC checks; and
the reference itself, which must pass every part but the handed-in files.
Usage: PYTHONPATH=. /work/main/.venv/bin/python measurements/2026-12-07-ch06/gaugan_public_checks_sanity.py
"""

import time

from igcourse.checks import run_part

CHAPTER = "ch06_ai_painter"
src0 = open("solutions/ch06_ai_painter/gaugan.py").read()
MUTS = {
    "instance norm": (
        "spade",
        "mean = keras.ops.mean(x, axis=(0, 1, 2), keepdims=True)\n        variance = keras.ops.mean(keras.ops.square(x - mean), axis=(0, 1, 2), keepdims=True)",
        "mean = keras.ops.mean(x, axis=(1, 2), keepdims=True)\n        variance = keras.ops.mean(keras.ops.square(x - mean), axis=(1, 2), keepdims=True)",
    ),
    "eps outside": (
        "spade",
        "keras.ops.sqrt(variance + self.epsilon)",
        "(keras.ops.sqrt(variance) + self.epsilon)",
    ),
    "no 1 +": (
        "spade",
        "x_hat * (1.0 + self.gamma_conv(hidden))",
        "x_hat * self.gamma_conv(hidden)",
    ),
    "bilinear": ("spade", 'interpolation="nearest"', 'interpolation="bilinear"'),
    "gamma beta swapped": (
        "spade",
        "x_hat * (1.0 + self.gamma_conv(hidden)) + self.beta_conv(hidden)",
        "x_hat * (1.0 + self.beta_conv(hidden)) + self.gamma_conv(hidden)",
    ),
    "BatchNormalization": (
        "spade",
        "x_hat = (x - mean) / keras.ops.sqrt(variance + self.epsilon)",
        "x_hat = self.bn(x)",
    ),
    "no skip spade": (
        "spade_block",
        "return h + self.conv_skip(self.spade_skip(x, label_map))",
        "return h + self.conv_skip(x)",
    ),
    "no shortcut": ("spade_block", "return h + x\n", "return h\n"),
    "relu block": (
        "spade_block",
        "keras.ops.leaky_relu(self.spade_1(x, label_map), 0.2)",
        "keras.ops.relu(self.spade_1(x, label_map))",
    ),
    "middle = filters": (
        "spade_block",
        'keras.layers.Conv2D(min(channels, self.filters), 3, padding="same")',
        'keras.layers.Conv2D(self.filters, 3, padding="same")',
    ),
    "always skip": ("spade_block", "if channels != self.filters:", "if True:"),
    "no tanh": ("gaugan_generator", 'images = keras.layers.Activation("tanh")(x)', "images = x"),
    "filters up": (
        "gaugan_generator",
        "x = SPADEResBlock(filters * 2 ** max(0, 2 - k), hidden)",
        "x = SPADEResBlock(filters * 2 ** k, hidden)",
    ),
    "same dense": ("style_encoder", "log_var = keras.layers.Dense(z_dim)(x)", "log_var = mean"),
    "exp(log_var)": (
        "style_encoder",
        "keras.ops.exp(log_var / 2.0) * eps",
        "keras.ops.exp(log_var) * eps",
    ),
    "no seed": (
        "style_encoder",
        "keras.random.normal(keras.ops.shape(mean), seed=seed)",
        "keras.random.normal(keras.ops.shape(mean))",
    ),
    "concat swapped": (
        "multiscale_discriminator",
        "keras.layers.Concatenate()([label_map, image])",
        "keras.layers.Concatenate()([image, label_map])",
    ),
    "max pool": (
        "multiscale_discriminator",
        'labels = keras.layers.AveragePooling2D(3, strides=2, padding="same")(labels)',
        'labels = keras.layers.MaxPooling2D(3, strides=2, padding="same")(labels)',
    ),
    "logits leaky": (
        "multiscale_discriminator",
        'features.append(keras.layers.Conv2D(1, 4, strides=1, padding="same")(x))',
        'features.append(keras.layers.LeakyReLU(0.2)(keras.layers.Conv2D(1, 4, strides=1, padding="same")(x)))',
    ),
    "hinge sum": (
        "gaugan_losses",
        "keras.ops.relu(1.0 + fake[-1]))\n    return total / len(real_outputs)",
        "keras.ops.relu(1.0 + fake[-1]))\n    return total",
    ),
    "fm logits": (
        "gaugan_losses",
        "zip(real[:-1], fake[:-1], strict=True)",
        "zip(real, fake, strict=True)",
    ),
    "fm no stop": (
        "gaugan_losses",
        "difference = keras.ops.stop_gradient(real_feature) - fake_feature",
        "difference = real_feature - fake_feature",
    ),
    "kl mean": (
        "gaugan_losses",
        "keras.ops.mean(-0.5 * keras.ops.sum(terms, axis=-1))",
        "keras.ops.mean(-0.5 * terms)",
    ),
    "vgg mapped again": (
        "gaugan_losses",
        "real_features = extractor(real)\n    fake_features = extractor(fake)",
        "real_features = extractor(to_vgg_input(real))\n    fake_features = extractor(to_vgg_input(fake))",
    ),
    "vgg weights ignored": (
        "gaugan_losses",
        "total = total + weight * keras.ops.mean",
        "total = total + keras.ops.mean",
    ),
    "step no encoder": (
        "gaugan_step",
        "g_variables = generator.trainable_variables + encoder.trainable_variables",
        "g_variables = generator.trainable_variables",
    ),
    "step weighted fm": (
        "gaugan_step",
        '"feature_loss": feature,',
        '"feature_loss": feature_weight * feature,',
    ),
    "step no kl": ("gaugan_step", "g_loss = g_loss + kl_weight * kl", "g_loss = g_loss"),
}
GIVEN = "x_hat = self.bn(x)"
for name, (part, a, b) in MUTS.items():
    assert src0.count(a) == 1, name
    src = src0.replace(a, b)
    if b == GIVEN:
        src = src.replace(
            'self.beta_conv = keras.layers.Conv2D(channels, 3, padding="same")',
            'self.beta_conv = keras.layers.Conv2D(channels, 3, padding="same")\n        '
            "self.bn = keras.layers.BatchNormalization(center=False, scale=False, epsilon=self.epsilon)",
        )
    ns = {}
    exec(compile(src, "mut", "exec"), ns)
    failed = [r for r in run_part(CHAPTER, part, ns) if not r.passed]
    print(
        "caught" if failed else "NOT CAUGHT",
        f"{name:20s}",
        failed[0].message[:230] if failed else "",
    )
ns = {}
exec(compile(src0, "ref", "exec"), ns)
for part in (
    "spade",
    "spade_block",
    "gaugan_generator",
    "style_encoder",
    "multiscale_discriminator",
    "gaugan_losses",
    "gaugan_step",
):
    start = time.perf_counter()
    failed = [r for r in run_part(CHAPTER, part, ns) if not r.passed]
    print(
        "reference",
        part,
        "passes" if not failed else failed[0].message,
        f"{time.perf_counter() - start:.1f} s",
    )
