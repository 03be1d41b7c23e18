"""Writes chapter 7's ProGAN zoo: each mutant is the reference cell of one part with one edit.

Usage: python make_mutants.py   (from the repository root; writes autograder/ch07_face_generation/mutants/)
Each edit must change the cell (checked), so that a mutant never silently equals the reference.
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "source/ch07_face_generation/progan.ipynb"
OUT = ROOT / "autograder/ch07_face_generation/mutants"


def cells():
    found = {}
    for cell in json.loads(SOURCE.read_text())["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            text = "".join(cell["source"])
            text = re.sub(r"\n *### (BEGIN|END) SOLUTION", "", text)
            found[meta["grade_id"]] = text
    return found


MUTANTS = [
    # name, part, mistake, [(old, new), ...]
    ("pixel_norm_over_batch", "pixel_norm",
     "PixelNorm takes the mean square over the batch axis instead of each pixel's channels.",
     [("keras.ops.mean(keras.ops.square(x), axis=-1, keepdims=True)",
       "keras.ops.mean(keras.ops.square(x), axis=0, keepdims=True)")]),
    ("pixel_norm_over_image", "pixel_norm",
     "PixelNorm normalises by the mean square over the whole image (height, width and channels) "
     "instead of each pixel's channels.",
     [("keras.ops.mean(keras.ops.square(x), axis=-1, keepdims=True)",
       "keras.ops.mean(keras.ops.square(x), axis=(1, 2, 3), keepdims=True)")]),
    ("pixel_norm_epsilon_outside_root", "pixel_norm",
     "PixelNorm adds epsilon after the square root instead of inside it.",
     [("return x * keras.ops.rsqrt(mean_square + self.epsilon)",
       "return x / (keras.ops.sqrt(mean_square) + self.epsilon)")]),
    ("pixel_norm_kwargs_positional", "pixel_norm",
     "PixelNorm passes its keyword arguments to the base class as one positional dict (the "
     "book's super().__init__(kwargs)), which Keras 3 refuses.",
     [("super().__init__(**kwargs)", "super().__init__(kwargs)")]),
    ("minibatch_std_whole_batch", "minibatch_std",
     "MinibatchStd takes the standard deviation over the whole batch instead of over groups of "
     "group_size samples.",
     [("group = min(self.group_size, batch)", "group = batch")]),
    ("minibatch_std_interleaved_groups", "minibatch_std",
     "MinibatchStd groups every (B / G)-th sample together instead of consecutive samples.",
     [("groups = keras.ops.reshape(x, (-1, group, height, width, channels))\n"
       "        spread = keras.ops.sqrt(keras.ops.var(groups, axis=1) + self.epsilon)\n"
       "        per_group = keras.ops.mean(spread, axis=(1, 2, 3))  # (B / G,)\n"
       "        per_sample = keras.ops.repeat(per_group, group)  # (B,): consecutive samples share one",
       "groups = keras.ops.reshape(x, (group, -1, height, width, channels))\n"
       "        spread = keras.ops.sqrt(keras.ops.var(groups, axis=0) + self.epsilon)\n"
       "        per_group = keras.ops.mean(spread, axis=(1, 2, 3))  # (B / G,)\n"
       "        per_sample = keras.ops.tile(per_group, [group])  # sample i in group i % (B / G)")]),
    ("minibatch_std_unbiased", "minibatch_std",
     "MinibatchStd divides the group's variance by G - 1 (the unbiased estimate) instead of G.",
     [("spread = keras.ops.sqrt(keras.ops.var(groups, axis=1) + self.epsilon)",
       "spread = keras.ops.sqrt(keras.ops.var(groups, axis=1) * group / (group - 1) + "
       "self.epsilon)")]),
    ("minibatch_std_root_after_average", "minibatch_std",
     "MinibatchStd averages the variances over pixels and channels before the square root "
     "instead of averaging the standard deviations.",
     [("spread = keras.ops.sqrt(keras.ops.var(groups, axis=1) + self.epsilon)\n"
       "        per_group = keras.ops.mean(spread, axis=(1, 2, 3))  # (B / G,)",
       "spread = keras.ops.var(groups, axis=1)\n"
       "        per_group = keras.ops.sqrt(keras.ops.mean(spread, axis=(1, 2, 3)) + "
       "self.epsilon)")]),
    ("equalized_scale_in_initializer", "equalized_layers",
     "The equalised layers draw their kernels with standard deviation gain / sqrt(fan_in) and "
     "apply no scale at run time (He's initialisation, not the equalised learning rate).",
     [("""            shape=(fan_in, self.units),
            initializer=keras.initializers.RandomNormal(0.0, 1.0),""",
       """            shape=(fan_in, self.units),
            initializer=keras.initializers.RandomNormal(0.0, self.gain / math.sqrt(fan_in)),"""),
      ("self.scale = self.gain / math.sqrt(fan_in)", "self.scale = 1.0"),
      ("""            shape=(size, size, channels, self.filters),
            initializer=keras.initializers.RandomNormal(0.0, 1.0),""",
       """            shape=(size, size, channels, self.filters),
            initializer=keras.initializers.RandomNormal(
                0.0, self.gain / math.sqrt(size * size * channels)
            ),"""),
      ("self.scale = self.gain / math.sqrt(size * size * channels)", "self.scale = 1.0")]),
    ("equalized_conv_fan_in_channels_only", "equalized_layers",
     "EqualizedConv2D's fan-in counts the input channels only, not k * k * C_in.",
     [("self.scale = self.gain / math.sqrt(size * size * channels)",
       "self.scale = self.gain / math.sqrt(channels)")]),
    ("equalized_gain_ignored", "equalized_layers",
     "The equalised layers always scale by sqrt(2) / sqrt(fan_in), ignoring their gain argument.",
     [("self.scale = self.gain / math.sqrt(fan_in)", "self.scale = math.sqrt(2.0 / fan_in)"),
      ("self.scale = self.gain / math.sqrt(size * size * channels)",
       "self.scale = math.sqrt(2.0 / (size * size * channels))")]),
    ("equalized_without_bias", "equalized_layers",
     "The equalised layers have no bias.",
     [("return keras.ops.matmul(x, self.kernel * self.scale) + self.bias",
       "return keras.ops.matmul(x, self.kernel * self.scale)"),
      ("""return keras.ops.conv(x, self.kernel * self.scale, padding="same") + self.bias""",
       """return keras.ops.conv(x, self.kernel * self.scale, padding="same")""")]),
    ("fade_in_reversed", "progan_generator",
     "fade_in weighs old by alpha and new by 1 - alpha (the fade runs backwards).",
     [("return old + alpha * (new - old)", "return new + alpha * (old - new)")]),
    ("generator_tanh_output", "progan_generator",
     "The generator squashes its images with tanh; ProGAN's to-RGB is linear.",
     [("""        if stage == 0:
            return self.to_rgb[0](features)""",
       """        if stage == 0:
            return keras.ops.tanh(self.to_rgb[0](features))"""),
      ("return fade_in(alpha, old, new)\n        ### END", "XX")]),
    ("generator_z_not_normalised", "progan_generator",
     "The generator's base does not pixel-normalise z before its dense layer.",
     [("""        self.base = keras.Sequential([
            PixelNorm(),
            EqualizedDense(4 * 4 * first, gain=HE_GAIN / 4),""",
       """        self.base = keras.Sequential([
            EqualizedDense(4 * 4 * first, gain=HE_GAIN / 4),""")]),
    ("generator_to_rgb_plain_conv", "progan_generator",
     "The generator's to-RGB layers are plain keras.layers.Conv2D, not equalised convolutions.",
     [("self.to_rgb = [EqualizedConv2D(channels, 1, gain=1.0) for _ in range(STAGES)]",
       "self.to_rgb = [keras.layers.Conv2D(channels, 1) for _ in range(STAGES)]")]),
    ("generator_no_stage_zero_case", "progan_generator",
     "The generator has no case for stage 0, so at stage 0 its slices blocks[: stage - 1] and "
     "blocks[stage - 1] run the last stages' blocks.",
     [("""        if stage == 0:
            return self.to_rgb[0](features)
""", "")]),
    ("generator_layers_made_in_call", "progan_generator",
     "The generator makes a fresh to-RGB layer in every call instead of keeping one per stage, "
     "so growing forgets the trained ones.",
     [("return self.to_rgb[0](features)", "return EqualizedConv2D(1, 1, gain=1.0)(features)"),
      ("new = self.to_rgb[stage](self.blocks[stage - 1](features))",
       "new = EqualizedConv2D(1, 1, gain=1.0)(self.blocks[stage - 1](features))")]),
    ("discriminator_alpha_reversed", "progan_discriminator",
     "The discriminator fades from new to old: it blends with 1 - alpha.",
     [("features = fade_in(alpha, old, new)", "features = fade_in(1.0 - alpha, old, new)")]),
    ("discriminator_old_path_subsampled", "progan_discriminator",
     "The discriminator's old path takes every second pixel instead of average-pooling the "
     "images.",
     [("old = self.from_rgb[stage - 1](self.downsample(images))",
       "old = self.from_rgb[stage - 1](images[:, ::2, ::2, :])")]),
    ("discriminator_without_minibatch_std", "progan_discriminator",
     "The discriminator's base has no minibatch standard deviation layer.",
     [("""            MinibatchStd(group_size),
""", "")]),
    ("discriminator_group_size_ignored", "progan_discriminator",
     "The discriminator's MinibatchStd always uses groups of 4, ignoring group_size.",
     [("MinibatchStd(group_size),", "MinibatchStd(),")]),
    ("discriminator_blocks_in_wrong_order", "progan_discriminator",
     "The discriminator runs the lower blocks from the coarsest up instead of from stage s - 1 "
     "down to 1.",
     [("for block in reversed(self.blocks[: stage - 1]):",
       "for block in self.blocks[: stage - 1]:")]),
    # From the blind class of measurements/2026-12-07-blind24 (written anew here):
    ("discriminator_score_gain_default", "progan_discriminator",
     "The discriminator's last dense layer keeps the default gain sqrt(2) instead of gain 1.",
     [("EqualizedDense(1, gain=1.0),", "EqualizedDense(1),")]),
    ("discriminator_sigmoid_score", "progan_discriminator",
     "The discriminator ends with a sigmoid, a classifier's probability, instead of a linear "
     "score.",
     [("        return self.base(features)", "        return keras.ops.sigmoid(self.base(features))")]),
    ("equalized_bias_not_trainable", "equalized_layers",
     "The equalised layers create their biases as non-trainable weights.",
     [('self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")',
       'self.bias = self.add_weight(\n            shape=(self.units,), initializer="zeros", name="bias", trainable=False\n        )'),
      ('self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")',
       'self.bias = self.add_weight(\n            shape=(self.filters,), initializer="zeros", name="bias", trainable=False\n        )')]),
    ("generator_base_dense_gain_default", "progan_generator",
     "The generator's base dense layer keeps the default gain sqrt(2) instead of sqrt(2) / 4.",
     [("EqualizedDense(4 * 4 * first, gain=HE_GAIN / 4),", "EqualizedDense(4 * 4 * first),")]),
    ("generator_base_norm_before_activation", "progan_generator",
     "The generator's base applies pixel normalisation before the LeakyReLU after its 3 x 3 "
     "convolution instead of after it.",
     [("""            EqualizedConv2D(first, 3),
            keras.layers.LeakyReLU(LEAK),
            PixelNorm(),""",
       """            EqualizedConv2D(first, 3),
            PixelNorm(),
            keras.layers.LeakyReLU(LEAK),""")]),
    ("penalty_norm_over_batch", "progan_losses",
     "gradient_penalty takes one gradient norm over the whole batch instead of one per sample "
     "(the book's penalty).",
     [("norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]) + 1e-12)",
       "norms = tf.sqrt(tf.reduce_sum(tf.square(gradients)) + 1e-12)")]),
    ("penalty_of_mean_score", "progan_losses",
     "gradient_penalty differentiates the batch's mean score instead of the sum, dividing every "
     "gradient by the batch size (as the book's ProGAN does).",
     [("scores = score_fn(mixed)", "scores = tf.reduce_mean(score_fn(mixed))")]),
    ("penalty_epsilon_swapped", "progan_losses",
     "gradient_penalty mixes eps * fake + (1 - eps) * real instead of eps * real + "
     "(1 - eps) * fake.",
     [("mixed = epsilon * real_images + (1.0 - epsilon) * fake_images",
       "mixed = epsilon * fake_images + (1.0 - epsilon) * real_images")]),
    ("penalty_without_minus_one", "progan_losses",
     "gradient_penalty averages the squared gradient norms instead of (norm - 1)^2.",
     [("return tf.reduce_mean(tf.square(norms - 1.0))", "return tf.reduce_mean(tf.square(norms))")]),
    ("penalty_one_sample_at_a_time", "progan_losses",
     "gradient_penalty scores the mixed images one at a time instead of as a batch, so the "
     "samples' shared term is lost.",
     [("""        scores = score_fn(mixed)""",
       """        scores = tf.concat([score_fn(mixed[i : i + 1]) for i in range(mixed.shape[0])], 0)""")]),
    ("critic_loss_without_drift", "progan_losses",
     "progan_critic_loss leaves out the drift term.",
     [("return wasserstein + gp_weight * penalty + drift_weight * drift",
       "return wasserstein + gp_weight * penalty")]),
    ("critic_loss_drift_on_fakes", "progan_losses",
     "progan_critic_loss takes the drift term on the fake scores instead of the real ones.",
     [("drift = keras.ops.mean(keras.ops.square(real_scores))",
       "drift = keras.ops.mean(keras.ops.square(fake_scores))")]),
    ("critic_loss_signs_swapped", "progan_losses",
     "progan_critic_loss takes mean(real) - mean(fake), rewarding the critic for scoring fakes "
     "high.",
     [("wasserstein = keras.ops.mean(fake_scores) - keras.ops.mean(real_scores)",
       "wasserstein = keras.ops.mean(real_scores) - keras.ops.mean(fake_scores)")]),
    ("generator_loss_sign", "progan_losses",
     "progan_generator_loss returns +mean(fake_scores), so the generator learns to be scored low.",
     [("return -keras.ops.mean(fake_scores)", "return keras.ops.mean(fake_scores)")]),
    ("step_generator_updates_the_critic", "progan_step",
     "The generator's update applies its gradients to the critic's variables too.",
     [("""        variables = generator.trainable_variables  # the critic is left alone here""",
       """        variables = generator.trainable_variables + critic.trainable_variables""")]),
    ("step_generator_first", "progan_step",
     "The step updates the generator before the critic instead of after it.",
     [("STEP_ORDER", "")]),
    ("step_without_penalty", "progan_step",
     "The critic's loss in the step has no gradient penalty (it passes a penalty of 0).",
     [("""            c_loss = progan_critic_loss(
                score(real_images, alpha), score(fake_images, alpha), penalty
            )""",
       """            c_loss = progan_critic_loss(
                score(real_images, alpha), score(fake_images, alpha), 0.0 * penalty
            )""")]),
    ("step_critic_fakes_from_generator_z", "progan_step",
     "The critic's update makes its fakes from generator_z instead of critic_z.",
     [("fake_images = generator(critic_z, stage=stage, alpha=alpha, training=True)",
       "fake_images = generator(generator_z, stage=stage, alpha=alpha, training=True)")]),
    ("step_not_in_training_mode", "progan_step",
     "The step calls the networks without training=True.",
     [("return critic(images, stage=stage, alpha=alpha, training=True)",
       "return critic(images, stage=stage, alpha=alpha)"),
      ("fake_images = generator(critic_z, stage=stage, alpha=alpha, training=True)",
       "fake_images = generator(critic_z, stage=stage, alpha=alpha)"),
      ("fake_images = generator(generator_z, stage=stage, alpha=alpha, training=True)",
       "fake_images = generator(generator_z, stage=stage, alpha=alpha)")]),
    ("step_penalty_weight_doubled", "progan_step",
     "The step weighs the gradient penalty by 20 instead of the default 10.",
     [("""                score(real_images, alpha), score(fake_images, alpha), penalty
            )""",
       """                score(real_images, alpha), score(fake_images, alpha), penalty, gp_weight=20.0
            )""")]),
]

GENERATOR_FIRST = '''def make_progan_step(generator, critic, g_optimizer, c_optimizer, stage):
    def used(gradients, variables):
        return [(g, v) for g, v in zip(gradients, variables, strict=True) if g is not None]

    def score(images, alpha):
        return critic(images, stage=stage, alpha=alpha, training=True)

    @tf.function
    def step(real_images, critic_z, generator_z, epsilon, alpha):
        with tf.GradientTape() as tape:
            fake_images = generator(generator_z, stage=stage, alpha=alpha, training=True)
            g_loss = progan_generator_loss(score(fake_images, alpha))
        variables = generator.trainable_variables
        g_optimizer.apply_gradients(used(tape.gradient(g_loss, variables), variables))
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
        return c_loss, g_loss

    return step
'''


def main():
    reference = cells()
    OUT.mkdir(parents=True, exist_ok=True)
    for name, part, mistake, edits in MUTANTS:
        code = reference[part]
        if name == "step_generator_first":
            code = GENERATOR_FIRST
        elif name == "generator_tanh_output":
            code = code.replace(edits[0][0], edits[0][1])
            code = code.replace("        return fade_in(alpha, old, new)",
                                "        return keras.ops.tanh(fade_in(alpha, old, new))")
        else:
            for old, new in edits:
                if old not in code:
                    raise SystemExit(f"{name}: edit not found: {old[:60]!r}")
                code = code.replace(old, new)
        if code == reference[part]:
            raise SystemExit(f"{name}: no change")
        header = (
            f'"""{mistake}"""\n\n# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)\n\n'
            "import math  # noqa: F401\n\nimport keras  # noqa: F401\nimport tensorflow as tf  # noqa: F401\n\n"
            f"PART = {part!r}\nMISTAKE = {mistake!r}\n\n\n"
        )
        (OUT / f"{name}.py").write_text(header + code.strip() + "\n")
    print(len(MUTANTS), "mutants written to", OUT)


main()
