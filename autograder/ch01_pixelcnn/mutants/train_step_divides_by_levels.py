"""The inputs scaled by 1 / levels instead of 1 / (levels - 1)."""

# ruff: noqa: F821 (bits_per_dim comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the train step feeds the model images / levels instead of images / (levels - 1), so the "
    "brightest level is below 1."
)


def make_train_step(model, optimizer, levels=2):
    @tf.function
    def step(images):
        inputs = tf.cast(images, tf.float32) / levels
        with tf.GradientTape() as tape:
            loss = bits_per_dim(images, model(inputs, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        return loss

    return step
