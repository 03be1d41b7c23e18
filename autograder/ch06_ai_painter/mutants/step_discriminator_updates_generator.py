"""The discriminator's update also applies d_loss's gradient to the generator's variables: the fake
is made on the discriminator's tape instead of being held constant.
"""

# ruff: noqa: F821 (names from the notebook)

import tensorflow as tf

PART = "gaugan_step"
MISTAKE = (
    "The discriminator's update also applies d_loss's gradient to the generator's variables: "
    "the fake is made on the discriminator's tape instead of being held constant."
)


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
    @tf.function
    def step(images, label_maps):
        mean, log_var = encoder(images)
        z = sample_style(mean, log_var, seed)
        with tf.GradientTape() as d_tape:
            fake = generator([z, label_maps])
            d_loss = discriminator_hinge_loss(
                discriminator([label_maps, images]), discriminator([label_maps, fake])
            )
        d_vars = discriminator.trainable_variables + generator.trainable_variables
        d_optimizer.apply_gradients(zip(d_tape.gradient(d_loss, d_vars), d_vars, strict=False))
        with tf.GradientTape() as tape:
            mean, log_var = encoder(images)
            fake = generator([sample_style(mean, log_var, seed), label_maps])
            real_out = discriminator([label_maps, images])
            fake_out = discriminator([label_maps, fake])
            adversarial = generator_hinge_loss(fake_out)
            matching = feature_matching_loss(real_out, fake_out)
            kl = kl_divergence(mean, log_var)
            seen = perceptual(images, fake) if perceptual is not None else tf.constant(0.0)
            g_loss = (
                adversarial + feature_weight * matching + kl_weight * kl + perceptual_weight * seen
            )
        g_vars = generator.trainable_variables + encoder.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars, strict=False))

        return {
            "d_loss": d_loss,
            "g_loss": g_loss,
            "feature_loss": matching,
            "kl_loss": kl,
            "perceptual_loss": seen,
        }

    return step
