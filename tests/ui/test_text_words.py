"""The training samples' HTML: no box cuts a sample off, and the step labels scale with the fonts."""
import re

from ui.text import words as W

ITEMS = [dict(step=20 * k, loss=3.0 / k, sample=f"sample {k}\nline two") for k in range(1, 6)]


def test_the_newest_sample_is_shown_in_full_and_the_earlier_ones_fold_open_newest_first():
    page = W.samples_html(ITEMS)
    newest, folded = page.split("<details>")
    assert newest.count('class="text-out"') == 1 and "step 100 · loss 0.60" in newest
    assert "<summary>4 earlier samples, newest first</summary>" in folded
    assert re.findall(r"step (\d+) ·", folded) == ["80", "60", "40", "20"]


def test_one_sample_has_nothing_to_fold_and_no_sample_sits_in_a_fixed_height_box():
    assert "<details>" not in W.samples_html(ITEMS[:1])
    assert "1 earlier sample</summary>" in W.samples_html(ITEMS[:2])
    assert "max-height" not in re.search(r"\.text-samples[^}]*}", W.TEXT_CSS).group(0)


def test_the_step_labels_are_sized_in_rem_as_the_samples_so_projector_fonts_enlarge_them():
    step = re.search(r"\.text-step\{[^}]*font-size:([\d.]+)rem", W.TEXT_CSS)
    out = re.search(r"\.text-out\{[^}]*font-size:([\d.]+)rem", W.TEXT_CSS)
    assert step and out and float(step.group(1)) >= float(out.group(1))
