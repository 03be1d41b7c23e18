# ruff: noqa: E501 (the mutants' edits are the cells' own lines)
"""Writes chapter 7's StyleGAN zoo: each mutant is the reference cell of one part with one edit.

Usage: python make_mutants.py   (from the repository root; writes into
autograder/ch07_face_generation/mutants/, beside ProGAN's zoo, every name starting with its part's
own word). Each edit must change the cell (checked), so that a mutant never equals the reference.
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "source/ch07_face_generation/stylegan.ipynb"
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
    ("mapping_scale_in_initializer", "mapping_network",
     "The mapping network draws its kernels with He's spread times the multiplier and applies no "
     "scale at run time (the multiplier baked into the initial weights).",
     [("stored = keras.initializers.RandomNormal(0.0, 1.0 / lr_multiplier)",
       "stored = keras.initializers.RandomNormal(0.0, HE_GAIN / math.sqrt(latent_dim))"),
      ("self.kernel_scale = lr_multiplier * HE_GAIN / math.sqrt(latent_dim)",
       "self.kernel_scale = 1.0")]),
    ("mapping_multiplier_ignored_at_run_time", "mapping_network",
     "The mapping network stores its kernels with standard deviation 1 / lr_multiplier but scales "
     "them by He's constant alone at run time.",
     [("self.kernel_scale = lr_multiplier * HE_GAIN / math.sqrt(latent_dim)",
       "self.kernel_scale = HE_GAIN / math.sqrt(latent_dim)")]),
    ("mapping_bias_without_multiplier", "mapping_network",
     "The mapping network adds its biases without the learning-rate multiplier.",
     [("+ bias * self.lr_multiplier", "+ bias")]),
    ("mapping_z_not_normalised", "mapping_network",
     "The mapping network feeds z to its first layer without normalising it.",
     [("x = z * keras.ops.rsqrt(mean_square + 1e-8)", "x = z")]),
    ("mapping_last_layer_linear", "mapping_network",
     "The mapping network's last layer has no LeakyReLU.",
     [("""            x = keras.ops.leaky_relu(x, LEAK)
        return x""",
       """            if kernel is not self.kernels[-1]:
                x = keras.ops.leaky_relu(x, LEAK)
        return x""")]),
    ("mapping_kwargs_positional", "mapping_network",
     "The mapping network passes its keyword arguments to the base class as one positional dict "
     "(the book's super().__init__(kwargs)), which Keras 3 refuses.",
     [("super().__init__(**kwargs)", "super().__init__(kwargs)")]),
    ("adain_pixel_norm", "adain_modulation",
     "AdaIN normalises each pixel over its channels (the book's PixelNorm) instead of each channel "
     "over its pixels.",
     [("""        mean = keras.ops.mean(x, axis=(1, 2), keepdims=True)
        variance = keras.ops.var(x, axis=(1, 2), keepdims=True)
        normalized = (x - mean) * keras.ops.rsqrt(variance + self.epsilon)""",
       """        mean_square = keras.ops.mean(keras.ops.square(x), axis=-1, keepdims=True)
        normalized = x * keras.ops.rsqrt(mean_square + self.epsilon)""")]),
    ("adain_without_normalisation", "adain_modulation",
     "AdaIN scales and shifts the features as they are, without normalising them first.",
     [("normalized = (x - mean) * keras.ops.rsqrt(variance + self.epsilon)", "normalized = x")]),
    ("adain_batch_statistics", "adain_modulation",
     "AdaIN takes the mean and the variance over the batch and the pixels (batch normalisation) "
     "instead of each sample's own.",
     [("mean = keras.ops.mean(x, axis=(1, 2), keepdims=True)",
       "mean = keras.ops.mean(x, axis=(0, 1, 2), keepdims=True)"),
      ("variance = keras.ops.var(x, axis=(1, 2), keepdims=True)",
       "variance = keras.ops.var(x, axis=(0, 1, 2), keepdims=True)")]),
    ("adain_scale_starts_at_zero", "adain_modulation",
     "AdaIN's scale y_s = A_s w has no + 1 (its bias starts at zero), so w = 0 gives zero "
     "features.",
     [('self.to_scale = keras.layers.Dense(channels, bias_initializer="ones")',
       "self.to_scale = keras.layers.Dense(channels)")]),
    ("adain_divides_by_variance", "adain_modulation",
     "AdaIN divides by the variance instead of the standard deviation.",
     [("normalized = (x - mean) * keras.ops.rsqrt(variance + self.epsilon)",
       "normalized = (x - mean) / (variance + self.epsilon)")]),
    ("adain_epsilon_outside_root", "adain_modulation",
     "AdaIN adds epsilon to the standard deviation instead of to the variance inside the root.",
     [("normalized = (x - mean) * keras.ops.rsqrt(variance + self.epsilon)",
       "normalized = (x - mean) / (keras.ops.sqrt(variance) + self.epsilon)")]),
    ("noise_without_learned_scale", "noise_injection",
     "NoiseInjection adds the noise as it is, without learned strengths.",
     [("""        self.strength = self.add_weight(shape=(input_shape[-1],), initializer="zeros",
                                        name="strength")""",
       "        pass"),
      ("return x + self.strength * noise", "return x + noise")]),
    ("noise_one_strength_for_all_channels", "noise_injection",
     "NoiseInjection learns one strength for all channels instead of one per channel.",
     [("shape=(input_shape[-1],)", "shape=(1,)")]),
    ("noise_map_per_channel", "noise_injection",
     "NoiseInjection draws an independent noise map for every channel instead of one map shared "
     "by the channels.",
     [("noise = keras.random.normal((shape[0], shape[1], shape[2], 1),",
       "noise = keras.random.normal((shape[0], shape[1], shape[2], shape[3]),")]),
    ("noise_drawn_with_numpy", "noise_injection",
     "NoiseInjection draws its noise with NumPy, which a tf.function traces once into a "
     "constant: the same noise at every call of the step.",
     [("""            noise = keras.random.normal((shape[0], shape[1], shape[2], 1),
                                        seed=self.seed_generator)""",
       """            noise = np.random.standard_normal(
                (int(shape[0]), int(shape[1]), int(shape[2]), 1)).astype("float32")""")]),
    ("noise_strength_starts_at_one", "noise_injection",
     "NoiseInjection's strengths start at one instead of zero.",
     [('initializer="zeros",', 'initializer="ones",')]),
    ("noise_one_map_for_the_batch", "noise_injection",
     "NoiseInjection draws one noise map for the whole batch instead of one per sample.",
     [("noise = keras.random.normal((shape[0], shape[1], shape[2], 1),",
       "noise = keras.random.normal((1, shape[1], shape[2], 1),")]),
    ("generator_one_style_for_all", "style_generator",
     "The synthesis network gives every layer the first style ws[:, 0] (one style index for all "
     "layers).",
     [("x = self.adains[i](x, ws[:, i])", "x = self.adains[i](x, ws[:, 0])")]),
    ("generator_one_style_per_block", "style_generator",
     "The synthesis network gives both layers of a resolution the same style (the book's one "
     "index per block).",
     [("x = self.adains[i](x, ws[:, i])", "x = self.adains[i](x, ws[:, i - i % 2])")]),
    ("generator_constant_not_trainable", "style_generator",
     "The synthesis network's constant input is not trained (the book's tf.ones).",
     [('initializer="ones",\n                                        name="constant")',
       'initializer="ones",\n                                        name="constant", '
       "trainable=False)")]),
    ("generator_given_noise_ignored", "style_generator",
     "The synthesis network draws new noise in every layer even when noise maps are given.",
     [("x = self.noises[i](x, None if noise is None else noise[i])", "x = self.noises[i](x)")]),
    ("generator_noise_shared_in_block", "style_generator",
     "The synthesis network gives both layers of a resolution the same given noise map (the "
     "faster StyleGAN's one map per block).",
     [("None if noise is None else noise[i])", "None if noise is None else noise[i - i % 2])")]),
    ("generator_upsamples_at_odd_layers", "style_generator",
     "The synthesis network upsamples before layers 1, 3, 5 and 7 instead of 2, 4 and 6.",
     [("if i % 2 == 0:", "if i % 2 == 1 and i < NUM_STYLES - 1:")]),
    ("generator_bilinear_upsampling", "style_generator",
     "The synthesis network doubles the resolution by bilinear interpolation instead of nearest "
     "neighbour.",
     [("x = keras.ops.repeat(keras.ops.repeat(x, 2, axis=1), 2, axis=2)",
       "x = keras.layers.UpSampling2D(2, interpolation=\"bilinear\")(x)")]),
    ("generator_adain_before_activation", "style_generator",
     "The synthesis network applies AdaIN before the LeakyReLU instead of after it.",
     [("""            x = keras.ops.leaky_relu(x, LEAK)
            x = self.adains[i](x, ws[:, i])""",
       """            x = self.adains[i](x, ws[:, i])
            x = keras.ops.leaky_relu(x, LEAK)""")]),
    ("generator_noise_after_activation", "style_generator",
     "The synthesis network adds the noise after the LeakyReLU instead of before it.",
     [("""            x = self.noises[i](x, None if noise is None else noise[i])
            x = keras.ops.leaky_relu(x, LEAK)""",
       """            x = keras.ops.leaky_relu(x, LEAK)
            x = self.noises[i](x, None if noise is None else noise[i])""")]),
    ("generator_conv_on_constant", "style_generator",
     "The synthesis network applies a 3 x 3 convolution to the constant in layer 0 too.",
     [("for _ in range(NUM_STYLES - 1)]", "for _ in range(NUM_STYLES)]"),
      ("""            if i > 0:
                if i % 2 == 0:
                    x = keras.ops.repeat(keras.ops.repeat(x, 2, axis=1), 2, axis=2)
                x = self.convs[i - 1](x)""",
       """            if i > 0 and i % 2 == 0:
                x = keras.ops.repeat(keras.ops.repeat(x, 2, axis=1), 2, axis=2)
            x = self.convs[i](x)""")]),
    ("synthesis_tanh_output", "style_generator",
     "The synthesis network ends in a tanh instead of a linear 1 x 1 convolution.",
     [("return self.to_image(x)", "return keras.ops.tanh(self.to_image(x))")]),
    ("generator_one_noise_layer_for_all", "style_generator",
     "The synthesis network uses one NoiseInjection layer (one set of strengths) in every layer.",
     [("self.noises = [NoiseInjection() for _ in range(NUM_STYLES)]",
       "self.noises = [NoiseInjection()] * NUM_STYLES")]),
    ("mixing_crossover_included", "style_mixing",
     "mix_styles gives w1 to the crossover layer too (i <= crossover).",
     [("layers < crossover", "layers <= crossover")]),
    ("mixing_styles_swapped", "style_mixing",
     "mix_styles takes w2 before the crossover and w1 after it.",
     [("broadcast_w(w1, num_styles),\n                           broadcast_w(w2, num_styles)",
       "broadcast_w(w2, num_styles),\n                           broadcast_w(w1, num_styles)")]),
    ("mixing_ignores_num_styles", "style_mixing",
     "mix_styles makes NUM_STYLES styles whatever num_styles it is given.",
     [("layers = keras.ops.reshape(keras.ops.arange(num_styles), (1, num_styles, 1))\n"
       "    return keras.ops.where(layers < crossover, broadcast_w(w1, num_styles),\n"
       "                           broadcast_w(w2, num_styles))",
       "layers = keras.ops.reshape(keras.ops.arange(NUM_STYLES), (1, NUM_STYLES, 1))\n"
       "    return keras.ops.where(layers < crossover, broadcast_w(w1), broadcast_w(w2))")]),
    ("truncation_toward_zero", "truncation",
     "truncate pulls w toward zero (psi * w) instead of toward the mean style.",
     [("return w_avg + psi * (w - w_avg)", "return psi * w")]),
    ("truncation_psi_reversed", "truncation",
     "truncate moves w toward w_avg by psi (psi 1 gives w_avg) instead of keeping psi of the "
     "distance.",
     [("return w_avg + psi * (w - w_avg)", "return w + psi * (w_avg - w)")]),
    ("w_avg_decay_reversed", "truncation",
     "track_w_avg keeps 1 - decay of the old mean and takes decay of the batch's.",
     [("return decay * w_avg + (1.0 - decay) * keras.ops.mean(w, axis=0)",
       "return (1.0 - decay) * w_avg + decay * keras.ops.mean(w, axis=0)")]),
    ("w_avg_of_first_style", "truncation",
     "track_w_avg updates the mean with the batch's first style instead of the batch's mean.",
     [("keras.ops.mean(w, axis=0)", "w[0]")]),
    ("step_mapping_not_trained", "stylegan_step",
     "The step trains the synthesis network alone: the mapping network is outside the trained "
     "variables (the book's bug), so it never learns.",
     [("variables = mapping.trainable_variables + generator.trainable_variables",
       "variables = generator.trainable_variables")]),
    ("stylegan_step_generator_updates_the_critic", "stylegan_step",
     "The generator's update also applies its gradients to the critic's variables.",
     [("variables = mapping.trainable_variables + generator.trainable_variables",
       "variables = (mapping.trainable_variables + generator.trainable_variables\n"
       "                     + critic.trainable_variables)"),
      ("g_optimizer.apply_gradients(zip(tape.gradient(g_loss, variables), variables, strict=True))",
       "g_optimizer.apply_gradients(\n"
       "            [(g, v) for g, v in zip(tape.gradient(g_loss, variables), variables, strict=True)\n"
       "             if g is not None])")]),
    ("step_without_r1", "stylegan_step",
     "The critic's loss has no R1 penalty.",
     [("+ 0.5 * r1_gamma * r1)", ")")]),
    ("step_r1_weight_gamma", "stylegan_step",
     "The R1 penalty is weighted by r1_gamma instead of r1_gamma / 2.",
     [("+ 0.5 * r1_gamma * r1)", "+ r1_gamma * r1)")]),
    ("step_r1_on_fakes", "stylegan_step",
     "The R1 penalty is taken at the fake images instead of the real ones.",
     [("""            with tf.GradientTape() as r1_tape:
                r1_tape.watch(real_images)
                real_scores = critic(real_images, training=True)
                total = tf.reduce_sum(real_scores)
            slopes = r1_tape.gradient(total, real_images)
            r1 = tf.reduce_mean(tf.reduce_sum(tf.square(slopes), axis=[1, 2, 3]))
            fake_scores = critic(fakes(critic_z), training=True)""",
       """            real_scores = critic(real_images, training=True)
            fake_images = fakes(critic_z)
            with tf.GradientTape() as r1_tape:
                r1_tape.watch(fake_images)
                fake_scores = critic(fake_images, training=True)
                total = tf.reduce_sum(fake_scores)
            slopes = r1_tape.gradient(total, fake_images)
            r1 = tf.reduce_mean(tf.reduce_sum(tf.square(slopes), axis=[1, 2, 3]))""")]),
    ("step_r1_of_mean_score", "stylegan_step",
     "The R1 penalty takes the gradient of the mean real score instead of each sample's score "
     "(the book's penalty), which divides every gradient by the batch size.",
     [("total = tf.reduce_sum(real_scores)", "total = tf.reduce_mean(real_scores)")]),
    ("step_r1_norm_not_squared", "stylegan_step",
     "The R1 penalty takes the norm of each sample's gradient instead of its square.",
     [("r1 = tf.reduce_mean(tf.reduce_sum(tf.square(slopes), axis=[1, 2, 3]))",
       "r1 = tf.reduce_mean(tf.sqrt(tf.reduce_sum(tf.square(slopes), axis=[1, 2, 3])))")]),
    ("step_r1_outside_the_critic_tape", "stylegan_step",
     "The R1 penalty is computed before the critic's tape opens, so that its value counts in the "
     "loss but none of its gradient reaches the critic.",
     [("""        with tf.GradientTape() as tape:
            with tf.GradientTape() as r1_tape:
                r1_tape.watch(real_images)
                real_scores = critic(real_images, training=True)
                total = tf.reduce_sum(real_scores)
            slopes = r1_tape.gradient(total, real_images)
            r1 = tf.reduce_mean(tf.reduce_sum(tf.square(slopes), axis=[1, 2, 3]))
            fake_scores""",
       """        with tf.GradientTape() as r1_tape:
            r1_tape.watch(real_images)
            total = tf.reduce_sum(critic(real_images, training=True))
        slopes = r1_tape.gradient(total, real_images)
        r1 = tf.reduce_mean(tf.reduce_sum(tf.square(slopes), axis=[1, 2, 3]))
        with tf.GradientTape() as tape:
            real_scores = critic(real_images, training=True)
            fake_scores""")]),
    ("step_saturating_generator_loss", "stylegan_step",
     "The generator minimises -softplus(D(fake)), the saturating log(1 - D), instead of "
     "softplus(-D(fake)).",
     [("g_loss = tf.reduce_mean(tf.nn.softplus(-critic(fakes(generator_z), training=True)))",
       "g_loss = -tf.reduce_mean(tf.nn.softplus(critic(fakes(generator_z), training=True)))")]),
    ("step_critic_loss_signs_swapped", "stylegan_step",
     "The critic's loss swaps the signs: softplus(-D(fake)) + softplus(D(real)).",
     [("c_loss = (tf.reduce_mean(tf.nn.softplus(fake_scores))\n"
       "                      + tf.reduce_mean(tf.nn.softplus(-real_scores))",
       "c_loss = (tf.reduce_mean(tf.nn.softplus(-fake_scores))\n"
       "                      + tf.reduce_mean(tf.nn.softplus(real_scores))")]),
    ("stylegan_step_critic_fakes_from_generator_z", "stylegan_step",
     "The critic's update makes its fakes from generator_z instead of critic_z.",
     [("fake_scores = critic(fakes(critic_z), training=True)",
       "fake_scores = critic(fakes(generator_z), training=True)")]),
    ("stylegan_step_not_in_training_mode", "stylegan_step",
     "The step calls the synthesis network without training=True.",
     [("return generator(broadcast_w(mapping(z, training=True)), training=True)",
       "return generator(broadcast_w(mapping(z, training=True)))")]),
]


# The noise a mutant draws is its own, so its values never equal a submission's: these mutants are
# named by the words of the check that sees their mistake.
NAMED_BY = {
    "noise_drawn_with_numpy": "called twice inside a tf.function: the same noise both times",
    "noise_map_per_channel": "the noise added differs between channels beyond their strengths",
    "noise_one_map_for_the_batch": "both samples of the batch got the same noise map",
}


def main():
    reference = cells()
    OUT.mkdir(parents=True, exist_ok=True)
    for name, part, mistake, edits in MUTANTS:
        code = reference[part]
        for old, new in edits:
            if old not in code:
                raise SystemExit(f"{name}: edit not found: {old[:60]!r}")
            code = code.replace(old, new)
        if code == reference[part]:
            raise SystemExit(f"{name}: no change")
        path = OUT / f"{name}.py"
        if path.exists() and f"PART = {part!r}" not in path.read_text().replace('"', "'"):
            raise SystemExit(f"{name}: {path.name} is another notebook's mutant")
        header = (
            f'"""{mistake}"""\n\n# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)\n\n'
            "import math  # noqa: F401\n\nimport keras  # noqa: F401\nimport numpy as np  # noqa: F401\nimport tensorflow as tf  # noqa: F401\n\n"
            f"PART = {part!r}\nMISTAKE = {mistake!r}\n"
            + (f"NAMED_BY = {NAMED_BY[name]!r}\n" if name in NAMED_BY else "")
            + "\n\n"
        )
        (OUT / f"{name}.py").write_text(header + code.strip() + "\n")
    print(len(MUTANTS), "mutants written to", OUT)


main()
