"""Does course_config.py load, and does every wrong value name its setting?"""

import pytest

from igcourse.config import ConfigError, load_config

GOOD = {"ch01_x": {"nb": {"part_a": 2, "part_b": 1.5}}}


def write(tmp_path, body):
    (tmp_path / "course_config.py").write_text("c = get_config()\n" + body)
    return tmp_path


def test_the_course_config_of_this_repository_loads(repo_root):
    config = load_config(repo_root)
    assert "ch01_pixelcnn" in config.chapters
    assert config.course.languages[0] == "en"
    assert config.limits.time_limit_s > 0


def test_a_valid_config_gives_chapters_limits_and_thresholds(tmp_path):
    write(
        tmp_path,
        f"c.Course.chapters = {GOOD!r}\nc.GradingLimits.time_limit_s = 12.5\n"
        "c.Quality.thresholds = {'ch01_x': {'bpd_max': 0.4}}\n",
    )
    config = load_config(tmp_path)
    assert config.course.parts("ch01_x", "nb") == {"part_a": 2, "part_b": 1.5}
    assert config.limits.time_limit_s == 12.5
    assert config.quality.thresholds["ch01_x"]["bpd_max"] == 0.4


@pytest.mark.parametrize(
    "body, named",
    [
        (
            "c.Course.chapters = {'ch01_x': {'nb': {'part_a': -1}}}",
            "Course.chapters['ch01_x']['nb']['part_a']",
        ),
        (
            "c.Course.chapters = {'ch01_x': {'nb': {'part_a': 'three'}}}",
            "Course.chapters['ch01_x']['nb']['part_a']",
        ),
        (
            "c.Course.chapters = {'ch01_x': {'nb': {'part_a': True}}}",
            "Course.chapters['ch01_x']['nb']['part_a']",
        ),
        ("c.Course.chapters = {'chapter1': {'nb': {'a': 1}}}", "Course.chapters['chapter1']"),
        ("c.Course.chapters = {'ch01_x': {'nb': {}}}", "Course.chapters['ch01_x']['nb']"),
        ("c.Course.chapters = {'ch01_x': {'nb': {'not an id': 1}}}", "Course.chapters['ch01_x']"),
        ("c.Course.chapters = 'ch01'", "chapters"),
        ("c.Course.languages = ['zh', 'en']", "Course.languages"),
        ("c.Course.languages = ['en', 'fr']", "Course.languages"),
        ("c.GradingLimits.time_limit_s = 0", "GradingLimits.time_limit_s"),
        ("c.GradingLimits.memory_limit_mb = -5", "GradingLimits.memory_limit_mb"),
        ("c.GradingLimits.memory_limit_mb = 'lots'", "memory_limit_mb"),
        (
            "c.Quality.thresholds = {'ch01_x': {'fid': 'low'}}",
            "Quality.thresholds['ch01_x']['fid']",
        ),
        ("c.Course.chapter = {}", "Course.chapters"),
        ("c.GradingLimits.timelimit = 3", "GradingLimits.timelimit"),
    ],
)
def test_a_wrong_value_gets_an_error_naming_the_setting(tmp_path, body, named):
    write(tmp_path, body + "\n")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    assert named in str(error.value)
    assert "course_config.py" in str(error.value)


def test_a_config_file_that_does_not_run_is_a_clear_error(tmp_path):
    write(tmp_path, "c.Course.chapters = {\n")
    with pytest.raises(ConfigError, match="could not be read"):
        load_config(tmp_path)


def test_a_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path)


def test_the_command_line_reports_config_errors_without_a_traceback(tmp_path, capsys):
    from igcourse.cli import main

    write(tmp_path, "c.GradingLimits.time_limit_s = -1\n")
    assert main(["--root", str(tmp_path), "config"]) == 2
    err = capsys.readouterr().err
    assert "GradingLimits.time_limit_s" in err and "Traceback" not in err


def test_nbgrader_reads_the_same_file(repo_root):
    """nbgrader_config.py pulls in course_config.py, so nbgrader sees the course settings."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(repo_root)).load_config()
    assert config.CourseDirectory.course_id == "hands-on-image-generation"
    assert "ch01_pixelcnn" in config.Course.chapters
