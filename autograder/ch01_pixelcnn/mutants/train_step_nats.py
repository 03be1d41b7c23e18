"""Keras cross-entropy (nats) instead of bits_per_dim."""

# ruff: noqa: F821 (bits_per_dim comes from the reference module this file runs on top of)
import keras
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the train step computes the loss with Keras's cross-entropy, in nats, instead of "
    "bits_per_dim, so the loss it returns is not in bits per dimension."
)


def make_train_step(model, optimizer, levels=2):
    @tf.function
    def train_step(images):
        inputs = tf.cast(images, tf.float32) / (levels - 1)
        with tf.GradientTape() as tape:
            logits = model(inputs, training=True)
            loss = keras.losses.BinaryCrossentropy(from_logits=True)(images, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=False))
        return loss

    return train_step
