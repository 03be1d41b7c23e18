"""The scaled inputs also passed to bits_per_dim as the targets."""

# ruff: noqa: F821 (bits_per_dim comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the train step gives bits_per_dim the scaled images / (levels - 1) as targets; the "
    "targets are the integer levels, only the model's input is scaled."
)


def make_train_step(model, optimizer, levels=2):
    @tf.function
    def step(images):
        inputs = tf.cast(images, tf.float32) / (levels - 1)
        with tf.GradientTape() as tape:
            loss = bits_per_dim(inputs, model(inputs, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        return loss

    return step
