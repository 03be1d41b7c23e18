"""Maximises the loss: a sign error (log-likelihood instead of its negative)."""

# ruff: noqa: F821 (bits_per_dim comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "The train step does not lower the loss on its own batch: a sign error (minimising the "
    "log-likelihood, not its negative) makes each step worse, and a step that applies no "
    "update leaves it as it was; minimise bits_per_dim and apply its gradients with the "
    "optimizer."
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
