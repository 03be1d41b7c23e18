"""The squared distance compared with the radius."""

PART = "mode_coverage"
MISTAKE = "The squared distance is compared with the radius; compare the distance itself."


def modes_covered(samples, means, radius, min_share=0.01):
    squared = ((samples[:, None] - means[None]) ** 2).sum(axis=-1)
    shares = (squared <= radius).sum(axis=0) / len(samples)
    return int((shares >= min_share).sum())
