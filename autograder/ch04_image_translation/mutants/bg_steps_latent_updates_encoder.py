"""The latent regression's gradient updates the encoder as well as the generator."""

# ruff: noqa: F821 (names from the notebook)
import keras
import tensorflow as tf

PART = "bicycle_steps"
MISTAKE = "The latent regression's gradient updates the encoder as well as the generator."


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
            objective = total + weighted_latent
        shared = tape.gradient(objective, generator_variables + encoder_variables)
        generator_only = tape.gradient(weighted_latent, [])
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
