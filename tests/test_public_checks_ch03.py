"""Do chapter 3's public checks fail wrong answers with a message that points at the fix?

What every chapter's public checks must do (cover the parts, pass the reference, fail the
untouched release) is asked in tests/test_public_checks.py.
"""

import pytest
from public_checks import ChapterModules, run_part

CHAPTER = "ch03_gan"
MODULES = ChapterModules(CHAPTER)


# Each mutant: (part, a realistic wrong answer run on top of the reference, a phrase the report
# must contain so that the student knows what to fix).
MUTANTS = {
    "d_loss_swapped_labels": (
        "discriminator_loss",
        """
        _reference_d_loss = discriminator_loss
        def discriminator_loss(real_logits, fake_logits):
            return _reference_d_loss(-real_logits, -fake_logits)
        """,
        "labels look swapped",
    ),
    "d_loss_sigmoid_first": (
        "discriminator_loss",
        """
        _reference_d_loss = discriminator_loss
        def discriminator_loss(real_logits, fake_logits):
            return _reference_d_loss(tf.sigmoid(real_logits), tf.sigmoid(fake_logits))
        """,
        "sigmoid was applied",
    ),
    "d_loss_log_sigmoid": (
        "discriminator_loss",
        """
        def discriminator_loss(real_logits, fake_logits):
            real = -tf.reduce_mean(tf.math.log(tf.sigmoid(real_logits)))
            return real - tf.reduce_mean(tf.math.log(1 - tf.sigmoid(fake_logits)))
        """,
        "not log(sigmoid(l))",
    ),
    "g_loss_saturating": (
        "generator_loss",
        """
        def generator_loss(fake_logits):
            return tf.reduce_mean(tf.math.log(1 - tf.sigmoid(fake_logits)))
        """,
        "saturating minimax loss",
    ),
    "g_loss_sigmoid_first": (
        "generator_loss",
        """
        _reference_g_loss = generator_loss
        def generator_loss(fake_logits):
            return _reference_g_loss(tf.sigmoid(fake_logits))
        """,
        "sigmoid was applied",
    ),
    "generator_sigmoid_output": (
        "dcgan_models",
        """
        _reference_generator = build_generator
        def build_generator(z_dim=100, filters=32):
            g = _reference_generator(z_dim, filters)
            return keras.Model(g.inputs, keras.layers.Activation("sigmoid")(g.layers[-2].output))
        """,
        "tanh",
    ),
    "discriminator_sigmoid_output": (
        "dcgan_models",
        """
        _reference_discriminator = build_discriminator
        def build_discriminator(filters=32):
            d = _reference_discriminator(filters)
            return keras.Model(d.inputs, keras.layers.Activation("sigmoid")(d.outputs[0]))
        """,
        "without an activation",
    ),
    "g_step_updates_both": (
        "train_steps",
        """
        _reference_steps = make_gan_steps
        def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
            d_step, _g = _reference_steps(generator, discriminator, g_optimizer, d_optimizer)
            @tf.function
            def g_step(z):
                with tf.GradientTape() as tape:
                    loss = generator_loss(discriminator(generator(z, training=True)))
                variables = generator.trainable_variables + discriminator.trainable_variables
                g_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
                return loss
            return d_step, g_step
        """,
        "g_step changed the discriminator",
    ),
}


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_mutant_fails_with_a_hint(mutant, tmp_path, capsys):
    part, patch, phrase = MUTANTS[mutant]
    passed, report = run_part(CHAPTER, part, MODULES.namespace(tmp_path, part, patch=patch), capsys)
    assert not passed, report
    assert phrase in report, report


WGAN_MUTANTS = {
    "critic_loss_flipped": (
        "wasserstein_losses",
        """
        def critic_loss(real_scores, fake_scores):
            return tf.reduce_mean(real_scores) - tf.reduce_mean(fake_scores)
        """,
        "sign is flipped",
    ),
    "clip_batch_norm_statistics": (
        "weight_clipping",
        """
        def clip_critic_weights(critic, clip_value):
            for layer in critic.layers:
                weights = layer.get_weights()
                layer.set_weights([np.clip(w, -clip_value, clip_value) for w in weights])
        """,
        "moving mean or variance",
    ),
    "wgan_step_one_critic_update": (
        "wgan_train_step",
        """
        _reference_step = make_wgan_train_step
        def make_wgan_train_step(generator, critic, g_optimizer, c_optimizer, n_critic=5,
                                 clip_value=None, gp_weight=0.0):
            return _reference_step(generator, critic, g_optimizer, c_optimizer, 1, clip_value,
                                   gp_weight)
        """,
        "3 SGD steps",
    ),
    "gp_whole_batch_norm": (
        "gradient_penalty",
        """
        def gradient_penalty(critic, real_images, fake_images, weight=10.0):
            epsilon = tf.random.uniform((real_images.shape[0], 1, 1, 1))
            interpolates = epsilon * real_images + (1 - epsilon) * fake_images
            with tf.GradientTape() as tape:
                tape.watch(interpolates)
                scores = critic(interpolates, training=True)
            gradients = tape.gradient(scores, [interpolates])
            norm = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3, 4]))
            return weight * tf.reduce_mean((norm - 1.0) ** 2)
        """,
        "one norm over the whole batch",
    ),
    "gp_epsilon_per_pixel": (
        "gradient_penalty",
        """
        _reference_gp = gradient_penalty
        def gradient_penalty(critic, real_images, fake_images, weight=10.0):
            epsilon = tf.random.uniform(tf.shape(real_images))
            interpolates = epsilon * real_images + (1 - epsilon) * fake_images
            with tf.GradientTape() as tape:
                tape.watch(interpolates)
                scores = critic(interpolates, training=True)
            norms = tf.norm(tf.reshape(tape.gradient(scores, interpolates), (len(scores), -1)),
                            axis=1)
            return weight * tf.reduce_mean((norms - 1.0) ** 2)
        """,
        "shape (batch, 1, 1, 1)",
    ),
}


@pytest.mark.parametrize("mutant", sorted(WGAN_MUTANTS))
def test_wgan_mutant_fails_with_a_hint(mutant, tmp_path, capsys):
    part, patch, phrase = WGAN_MUTANTS[mutant]
    passed, report = run_part(CHAPTER, part, MODULES.namespace(tmp_path, part, patch=patch), capsys)
    assert not passed, report
    assert phrase in report, report


MODE_MUTANTS = {
    "mixture_covariance_as_factor": (
        "mixture_sampling",
        """
        def sample_mixture(n, means, covariances, seed):
            rng = np.random.default_rng(seed)
            components = rng.integers(0, len(means), size=n)
            noise = rng.standard_normal((n, 2))
            points = means[components] + np.einsum("nij,nj->ni", covariances[components], noise)
            return points.astype(np.float32), components
        """,
        "multiplying the noise by the covariance itself",
    ),
    "mixture_without_validation": (
        "mixture_sampling",
        """
        def sample_mixture(n, means, covariances, seed):
            rng = np.random.default_rng(seed)
            components = rng.integers(0, len(means), size=n)
            draws = [rng.multivariate_normal(means[k], covariances[k]) for k in components]
            points = np.stack(draws)
            return points.astype(np.float32), components
        """,
        "eigenvalues are -0.52 and 5.72",
    ),
    "coverage_ignores_min_share": (
        "mode_coverage",
        """
        def modes_covered(samples, means, radius, min_share=0.01):
            d = np.linalg.norm(samples[:, None] - means[None], axis=-1)
            return int((d <= radius).any(axis=0).sum())
        """,
        "min_share=0.1",
    ),
}


@pytest.mark.parametrize("mutant", sorted(MODE_MUTANTS))
def test_mode_collapse_mutant_fails_with_a_hint(mutant, tmp_path, capsys):
    part, patch, phrase = MODE_MUTANTS[mutant]
    passed, report = run_part(CHAPTER, part, MODULES.namespace(tmp_path, part, patch=patch), capsys)
    assert not passed, report
    assert phrase in report, report
