"""make_transfer_step's step also updates the extractor's weights with the same optimizer."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

PART = "transfer_step"
MISTAKE = "make_transfer_step's step also updates the extractor's weights with the same optimizer."


def make_transfer_step(
    extractor, content_targets, style_targets, optimizer, content_weight, style_weight, tv_weight
):
    @tf.function
    def step(image):
        with tf.GradientTape() as tape:
            features = extractor(image)
            losses = transfer_loss(
                features,
                image,
                content_targets,
                style_targets,
                content_weight,
                style_weight,
                tv_weight,
            )
        variables = [image, *extractor.trainable_variables]
        gradients = tape.gradient(losses[0], variables)
        optimizer.apply_gradients(zip(gradients, variables, strict=True))
        image.assign(tf.clip_by_value(image, 0.0, 1.0))
        return losses

    return step
