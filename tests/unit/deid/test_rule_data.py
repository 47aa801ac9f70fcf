"""The rule data files: one folder per language, each file saying what it is, its source and license."""

from __future__ import annotations

from importlib import resources

import pytest

from medfoundry.deid import lexicon

DATA = resources.files("medfoundry.deid").joinpath("data")
FOLDERS = ["en", "shared"]


def _files() -> list[str]:
    return [
        f"{folder}/{entry.name}"
        for folder in FOLDERS
        for entry in DATA.joinpath(folder).iterdir()
        if entry.is_file() and entry.name != "SOURCE.md"
    ]


@pytest.mark.parametrize("path", _files())
def test_each_data_file_starts_with_a_note_and_is_listed_in_source_md(path: str) -> None:
    text = lexicon.data_text(path)
    assert text.startswith("#"), f"{path}: begin with '#' lines saying what, source, license"
    folder, name = path.split("/")
    assert name in lexicon.data_text(f"{folder}/SOURCE.md"), f"{path}: add it to {folder}/SOURCE.md"
    assert "license" in text[:800].lower() or "cc-by" in text[:800].lower(), f"{path}: name the license"


def test_name_lists_are_the_census_lists_only() -> None:
    # Faker writes the synthetic test data: its lists (en_US has first names the 1990 Census
    # lists lack) must not be part of the detectors' name lists.
    from pathlib import Path

    import names
    from faker.providers.person.en_US import Provider

    folder = Path(names.__file__).parent

    def census(filename: str) -> set[str]:
        lines = (folder / filename).read_text().splitlines()
        return {line.split()[0].lower() for line in lines if line.strip()}

    assert lexicon.first_names() == census("dist.male.first") | census("dist.female.first")
    assert lexicon.last_names() == census("dist.all.last")
    assert {n.lower() for n in Provider.first_names} - lexicon.first_names()


def test_clinical_words_and_frequencies_load() -> None:
    assert {"foley", "osh", "pap", "mom"} <= lexicon.clinical_abbreviations()
    assert lexicon.zipf("the") > 7 > lexicon.zipf("hyperkalemia")


def test_abbreviations_file_is_what_the_builder_makes_of_the_meta_inventory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from medfoundry.deid.build_lexicon import META_INVENTORY_FILES, abbreviations

    # A miniature checkout with the four source files in their formats.
    for name in META_INVENTORY_FILES:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if "vanderbilt" in name:
            path.write_text("abbreviation\tsense\tvariation\tCUI\tfrequency\nDisp\tdispense\tx\tc1\t0.6\n")
        elif "columbia" in name:
            path.write_text("ACOG American College \n17OHP 17-hydroxyprogesterone \n")
        else:
            path.write_text("po\tby mouth\t1\nhtn\thypertension\t1\n")
    built = abbreviations(tmp_path)
    words = [line for line in built.splitlines() if not line.startswith("#")]
    assert words == ["17ohp", "acog", "disp", "htn", "po"]
    assert built.splitlines()[:4] == lexicon.data_text("en/abbreviations.txt").splitlines()[:4]


def test_the_scowl_lists_keep_names_only_capitalized_there_and_say_what_is_missing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from medfoundry.deid.build_lexicon import first_names_not_words, main, places_not_words

    scowl = tmp_path / "american-english"
    scowl.write_text("Mary\nMark\nmark\nJune\nBoston\nHonda\nDover\ndover\n", encoding="utf-8")
    names = set(first_names_not_words(scowl).split("\n"))
    assert "mary" in names  # web2 has "mary" lowercase, SCOWL only "Mary"
    assert "mark" not in names  # SCOWL has the word too
    assert "june" not in names  # left out by hand: a month
    places = set(places_not_words(scowl).split("\n"))
    assert "boston" in places and "dover" not in places and "honda" not in places

    before = lexicon.data_text("en/first_names_not_words.txt")
    with pytest.raises(SystemExit, match=r"missing is no file\); get it with: apt-get download wamerican"):
        main(["--first-names-not-words", str(tmp_path / "missing")])
    assert lexicon.data_text("en/first_names_not_words.txt") == before
