"""The model runs before the tape starts recording."""

# ruff: noqa: F821 (bits_per_dim comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the train step runs the model before the `with tf.GradientTape()` block, so the tape "
    "records no path from the weights to the loss and there are no gradients."
)


def make_train_step(model, optimizer, levels=2):
    scale = float(levels - 1)

    @tf.function
    def step(images):
        logits = model(tf.cast(images, tf.float32) / scale, training=True)
        with tf.GradientTape() as tape:
            loss = bits_per_dim(images, logits)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        return loss

    return step
