import sys
from pathlib import Path
out = Path(sys.argv[1])

ENC = '''
def build_latent_encoder(z_dim=8, filters=16, channels=1):
    layers = keras.layers
    shoes = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(shoes)
    x = layers.LeakyReLU(0.2)(x)
    for width in (2 * filters, 4 * filters):
        x = layers.Conv2D(width, 4, strides=2, padding="same", use_bias=False)(x)
        x = layers.LeakyReLU(0.2)(NORM(x))
    x = POOL(x)
    mu = layers.Dense(z_dim)(x)
    log_var = LOGVAR
    return keras.Model(shoes, [mu, log_var])
'''
SAMPLE = '''
def sample_latent(mu, log_var, noise):
    return BODY
'''
def enc(norm="instance_norm()", pool="layers.GlobalAveragePooling2D()", logvar="layers.Dense(z_dim)(x)"):
    return ENC.replace("NORM", norm).replace("POOL", pool).replace("LOGVAR", logvar)

def sample(body):
    return SAMPLE.replace("BODY", body)

TILE = '''
def tile_latent(z, height, width):
    BODY


def join_latent(images, z):
    JOIN
'''
GOOD_TILE = '''z = keras.ops.expand_dims(keras.ops.expand_dims(z, 1), 1)
    return keras.ops.tile(z, (1, height, width, 1))'''
GOOD_JOIN = '''height, width = images.shape[1], images.shape[2]
    return keras.ops.concatenate([images, tile_latent(z, height, width)], axis=-1)'''
def inj(tile=GOOD_TILE, join=GOOD_JOIN):
    return TILE.replace("BODY", tile).replace("JOIN", join)

LOSSES = '''
def kl_divergence(mu, log_var):
    KL


def latent_regression_loss(z, mu):
    LAT
'''
GOOD_KL = '''per_dimension = keras.ops.exp(log_var) + keras.ops.square(mu) - 1.0 - log_var
    return keras.ops.mean(0.5 * keras.ops.sum(per_dimension, axis=-1))'''
GOOD_LAT = "return keras.ops.mean(keras.ops.abs(z - mu))"
def losses(kl=GOOD_KL, lat=GOOD_LAT):
    return LOSSES.replace("KL", kl).replace("LAT", lat)

STEPS = '''
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
            mu, log_var = encoder(shoes, training=TRAIN)
            z = sample_latent(mu, log_var, noise)
            fake_vae = generator([edges, z], training=TRAIN)
            fake_lr = generator([edges, LR_CODE], training=TRAIN)
            adversarial = lsgan_generator_loss(d_vae(fake_vae, training=TRAIN))
            adversarial += lsgan_generator_loss(d_lr(fake_lr, training=TRAIN))
            image = keras.ops.mean(keras.ops.abs(IMAGE_TARGET - fake_vae))
            total = adversarial + image_weight * image + kl_weight * kl_divergence(mu, log_var)
            mu_lr, _ = encoder(fake_lr, training=TRAIN)
            latent = latent_regression_loss(random_z, mu_lr)
            weighted_latent = latent_weight * latent
            objective = SHARED_LOSS
        shared = tape.gradient(objective, generator_variables + encoder_variables)
        generator_only = tape.gradient(weighted_latent, LATENT_VARS)
        del tape
        COUNT_LINE
        for index, gradient in enumerate(generator_only):
            if gradient is not None:
                shared[index] = gradient if shared[index] is None else shared[index] + gradient
        g_optimizer.apply_gradients(zip(APPLY_GRADS, APPLY_VARS, strict=True))
        return total, latent, fake_vae, fake_lr

    @tf.function
    def discriminator_step(shoes, fake_vae, fake_lr):
        with tf.GradientTape() as tape:
            loss_vae = lsgan_discriminator_loss(
                d_vae(shoes, training=TRAIN), d_vae(D_VAE_FAKE, training=TRAIN)
            )
            loss_lr = lsgan_discriminator_loss(
                d_lr(shoes, training=TRAIN), d_lr(D_LR_FAKE, training=TRAIN)
            )
            loss = D_LOSS
        gradients = tape.gradient(loss, discriminator_variables)
        d_optimizer.apply_gradients(zip(gradients, discriminator_variables, strict=True))
        return loss_vae, loss_lr

    return generator_step, discriminator_step
'''
def steps(**kw):
    d = dict(COUNT_LINE="", TRAIN="True", LR_CODE="random_z", IMAGE_TARGET="shoes", SHARED_LOSS="total", LATENT_VARS="generator_variables",
             APPLY_GRADS="shared", APPLY_VARS="generator_variables + encoder_variables", D_VAE_FAKE="fake_vae", D_LR_FAKE="fake_lr", D_LOSS="loss_vae + loss_lr")
    d.update(kw)
    s = STEPS
    for k, v in d.items():
        s = s.replace(k, v)
    return s

M = {}
M["bg_sample_std_is_exp_log_var"] = ("latent_encoder", "sample_latent scales the noise by exp(log_var), the variance, instead of exp(log_var / 2), the standard deviation.", sample("mu + keras.ops.exp(log_var) * noise"))
M["bg_sample_ignores_log_var"] = ("latent_encoder", "sample_latent returns mu + noise: log_var never scales the noise.", sample("mu + noise"))
M["bg_sample_log_var_as_std"] = ("latent_encoder", "sample_latent multiplies the noise by log_var itself, as if it were the standard deviation.", sample("mu + log_var * noise"))
M["bg_sample_batch_one_noise"] = ("latent_encoder", "sample_latent draws its own noise of shape (1, z_dim) (the book's sampling layer) instead of using the noise it is given.", sample("mu + keras.ops.exp(0.5 * log_var) * keras.random.normal((1, mu.shape[-1]))"))
M["bg_encoder_one_head"] = ("latent_encoder", "The encoder returns the same Dense layer's output as mu and as log_var.", enc(logvar="mu"))
M["bg_encoder_without_instance_norm"] = ("latent_encoder", "The encoder has no instance norms after its second and third convolutions.", enc(norm=""))
M["bg_encoder_flatten"] = ("latent_encoder", "The encoder flattens its 4 x 4 x 4F features instead of averaging them over the pixels.", enc(pool="layers.Flatten()"))
M["bg_tile_multiplies_channels"] = ("latent_injection", "tile_latent tiles z of shape (B, 1, 1, z_dim) with multiples [1, height, width, z_dim] (the book's), giving z_dim * z_dim channels.", inj(tile='''z = keras.ops.reshape(z, (-1, 1, 1, z.shape[-1]))
    return keras.ops.tile(z, (1, height, width, z.shape[-1]))'''))
M["bg_tile_height_width_swapped"] = ("latent_injection", "tile_latent repeats the code width times down and height times across: shape (B, width, height, z_dim).", inj(tile='''z = keras.ops.expand_dims(keras.ops.expand_dims(z, 1), 1)
    return keras.ops.tile(z, (1, width, height, 1))'''))
M["bg_join_code_first"] = ("latent_injection", "join_latent puts the tiled code before the image's channels.", inj(join='''height, width = images.shape[1], images.shape[2]
    return keras.ops.concatenate([tile_latent(z, height, width), images], axis=-1)'''))
M["bg_join_adds_code"] = ("latent_injection", "join_latent adds the code's mean to every pixel instead of joining the code as channels of its own.", inj(join='''return images + keras.ops.mean(z, axis=-1)[:, None, None, None]'''))
M["bg_kl_wrong_sign"] = ("bicycle_losses", "kl_divergence has the wrong sign: 0.5 * sum(1 + log_var - mu^2 - exp(log_var)), the negative KL.", losses(kl='''per_dimension = 1.0 + log_var - keras.ops.square(mu) - keras.ops.exp(log_var)
    return keras.ops.mean(0.5 * keras.ops.sum(per_dimension, axis=-1))'''))
M["bg_kl_summed_over_batch"] = ("bicycle_losses", "kl_divergence sums over the batch too (the book's), so its weight grows with the batch size.", losses(kl='''per_dimension = keras.ops.exp(log_var) + keras.ops.square(mu) - 1.0 - log_var
    return 0.5 * keras.ops.sum(per_dimension)'''))
M["bg_kl_mean_over_code"] = ("bicycle_losses", "kl_divergence averages over the code's numbers instead of summing them.", losses(kl='''per_dimension = keras.ops.exp(log_var) + keras.ops.square(mu) - 1.0 - log_var
    return keras.ops.mean(0.5 * per_dimension)'''))
M["bg_kl_without_half"] = ("bicycle_losses", "kl_divergence leaves out the factor 1/2.", losses(kl='''per_dimension = keras.ops.exp(log_var) + keras.ops.square(mu) - 1.0 - log_var
    return keras.ops.mean(keras.ops.sum(per_dimension, axis=-1))'''))
M["bg_latent_squared"] = ("bicycle_losses", "latent_regression_loss is the mean squared difference, not the mean absolute one.", losses(lat="return keras.ops.mean(keras.ops.square(z - mu))"))
M["bg_steps_latent_updates_encoder"] = ("bicycle_steps", "The latent regression's gradient updates the encoder as well as the generator.", steps(SHARED_LOSS="total + weighted_latent", LATENT_VARS="[]"))
M["bg_steps_no_latent_regression"] = ("bicycle_steps", "generator_step never applies the latent regression's gradient: the generator is free to ignore its code.", steps(LATENT_VARS="[]"))
M["bg_steps_encoder_not_updated"] = ("bicycle_steps", "generator_step applies the gradients to the generator only; the encoder never learns.", steps(COUNT_LINE="count = len(generator_variables)", APPLY_GRADS="shared[:count]", APPLY_VARS="generator_variables"))
M["bg_steps_lr_path_uses_encoded_code"] = ("bicycle_steps", "The cLR-GAN path draws its shoe from the encoded code z instead of the random code.", steps(LR_CODE="z"))
M["bg_steps_image_l1_to_drawing"] = ("bicycle_steps", "The image term compares fake_vae with the drawing instead of the real shoe.", steps(IMAGE_TARGET="edges"))
M["bg_steps_discriminators_swap_fakes"] = ("bicycle_steps", "discriminator_step gives d_vae the random-code shoes and d_lr the encoded-code shoes.", steps(D_VAE_FAKE="fake_lr", D_LR_FAKE="fake_vae"))
M["bg_steps_inference_mode"] = ("bicycle_steps", "The steps run every network in inference mode (training=False).", steps(TRAIN="False"))

import textwrap
for name, (part, mistake, code) in M.items():
    doc = textwrap.fill(mistake, 92)
    parts = textwrap.wrap(mistake, 88, drop_whitespace=False)
    quoted = "\n    ".join(repr(p) for p in parts)
    text = f'"""{doc}"""\n\n# ruff: noqa: F821 (names from the notebook)\nimport keras\n'
    if "tf." in code:
        text += "import tensorflow as tf\n"
    text += f'\nPART = "{part}"\nMISTAKE = (\n    {quoted}\n)\n\n' + code.strip("\n") + "\n"
    (out / f"{name}.py").write_text(text)
print(len(M))
