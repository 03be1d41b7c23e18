"""Gradients applied to the output layer only."""

# ruff: noqa: F821 (bits_per_dim comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the train step applies the gradients to only some of the model's variables (here the "
    "output layer's); apply them to all of model.trainable_variables."
)


def make_train_step(model, optimizer, levels=2):
    @tf.function
    def train_step(images):
        inputs = tf.cast(images, tf.float32) / (levels - 1)
        with tf.GradientTape() as tape:
            logits = model(inputs, training=True)
            loss = bits_per_dim(images, logits)
        variables = model.layers[-1].trainable_variables
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables, strict=False))
        return loss

    return train_step
