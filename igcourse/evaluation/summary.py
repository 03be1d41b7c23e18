"""A readable text summary of evaluate_samples' result."""

from igcourse.evaluation.domains import get_domain
from igcourse.i18n import _


def summarize(result):
    """Text lines, one per metric, of a dict returned by evaluate_samples."""
    classes = get_domain(result["reference"]).classes
    lines = [
        _("{samples} samples against {reference} ({images} real test images)").format(
            samples=result["samples"],
            reference=result["reference"],
            images=result["reference_images"],
        ),
        _("  Frechet distance    {fd:8.3f}   (real-vs-real floor {floor:.3f})").format(
            fd=result["fd"], floor=result["fd_floor"]
        ),
        _("  KID                 {kid:8.4f}   (std {std:.4f}; about 0 for real images)").format(
            kid=result["kid"], std=result["kid_std"]
        ),
        _(
            "  classes covered     {covered:8.0%}   ({at_share:.0%} with at least {share:.0%} "
            "of the samples)"
        ).format(
            covered=result["classes_covered"],
            at_share=result["classes_covered_at_share"],
            share=result["min_share"],
        ),
        _("  class entropy       {bits:8.2f}   bits ({normalised:.0%} of the maximum)").format(
            bits=result["class_entropy_bits"], normalised=result["class_entropy_normalised"]
        ),
    ]
    if result["class_consistency"] is not None:
        lines.append(
            _(
                "  class consistency   {accuracy:8.1%}   (evaluator's test accuracy {ceiling})"
            ).format(
                accuracy=result["class_consistency"],
                ceiling=_format_percent(result["evaluator_test_accuracy"]),
            )
        )
    lines.append(
        _("  copies of training  {count:8d}   ({fraction:.2%} of the samples)").format(
            count=result["copies_count"], fraction=result["copies_flagged"]
        )
    )
    histogram = ", ".join(
        _("{name} {share:.0%}").format(name=name, share=share)
        for name, share in zip(classes, result["class_histogram"], strict=True)
    )
    lines.append(_("  predicted classes:  {histogram}").format(histogram=histogram))
    lines.append(_("  ({seconds:.1f} s)").format(seconds=result["seconds"]))
    return "\n".join(lines)


def _format_percent(value):
    return _("unknown") if value is None else f"{value:.1%}"
