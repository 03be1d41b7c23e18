"""The model is called without training=True inside the step."""

# ruff: noqa: F821 (bits_per_dim comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the train step calls the model without training=True, so layers such as batch "
    "normalisation run in inference mode during training."
)


def make_train_step(model, optimizer, levels=2):
    scale = float(levels - 1)

    @tf.function
    def step(images):
        inputs = tf.cast(images, tf.float32) / scale
        with tf.GradientTape() as tape:
            loss = bits_per_dim(images, model(inputs))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        return loss

    return step
