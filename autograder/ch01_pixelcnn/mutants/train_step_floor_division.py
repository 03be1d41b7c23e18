"""The inputs scaled with floor division: every level but the top one becomes 0."""

# ruff: noqa: F821 (bits_per_dim comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the train step scales the images with floor division, images // (levels - 1), so for "
    "more than 2 levels every level below the top one becomes 0; divide as floats, "
    "tf.cast(images, tf.float32) / (levels - 1)."
)


def make_train_step(model, optimizer, levels=2):
    @tf.function
    def step(images):
        inputs = tf.cast(images // (levels - 1), tf.float32)
        with tf.GradientTape() as tape:
            loss = bits_per_dim(images, model(inputs, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        return loss

    return step
