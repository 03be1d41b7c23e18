"""make_transfer_step's step follows the gradient of the content loss alone, not of the weighted
total."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

PART = "transfer_step"
MISTAKE = (
    "make_transfer_step's step follows the gradient of the content loss alone, not of the "
    "weighted total."
)


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
        gradient = tape.gradient(losses[1], image)
        optimizer.apply_gradients([(gradient, image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))
        return losses

    return step
