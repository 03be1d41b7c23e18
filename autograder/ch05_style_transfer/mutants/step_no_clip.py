"""make_transfer_step's step never clips the image back to [0, 1] after the update (clipping
before the update gives the same image from an image in [0, 1])."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

PART = "transfer_step"
MISTAKE = (
    "make_transfer_step's step leaves the updated image unclipped: it never clips it to [0, 1], "
    "or clips before the optimizer's update."
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
        gradient = tape.gradient(losses[0], image)
        optimizer.apply_gradients([(gradient, image)])
        return losses

    return step
