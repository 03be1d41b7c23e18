"""Maximises the loss: a sign error (log-likelihood instead of its negative)."""

# ruff: noqa: F821 (bits_per_dim comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the train step minimises the log-likelihood instead of the negative log-likelihood "
    "(a sign error), so each step makes the model worse."
)


def make_train_step(model, optimizer, levels=2):
    @tf.function
    def train_step(images):
        inputs = tf.cast(images, tf.float32) / (levels - 1)
        with tf.GradientTape() as tape:
            logits = model(inputs, training=True)
            loss = -bits_per_dim(images, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=False))
        return loss

    return train_step
