"""The step returns the loss computed again after the update, in inference mode."""

# ruff: noqa: F821 (bits_per_dim comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the train step returns the loss computed again after the update (in inference mode); it "
    "returns the loss of the batch before the update, the one it took the gradient of."
)
NAMED_BY = "That is the loss of the batch after the update"


def make_train_step(model, optimizer, levels=2):
    @tf.function
    def step(images):
        inputs = tf.cast(images, tf.float32) / (levels - 1)
        with tf.GradientTape() as tape:
            loss = bits_per_dim(images, model(inputs, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        return bits_per_dim(images, model(inputs))

    return step
