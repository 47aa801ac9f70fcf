"""`medfoundry serve` refuses out-of-range batching options as usage errors, naming the option."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from medfoundry.cli.main import app


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--batch-wait-ms", "-1"),
        ("--batch-max-wait-ms", "-5"),
        ("--max-batch-size", "0"),
        ("--threads", "0"),
    ],
)
def test_out_of_range_option_is_a_usage_error(option: str, value: str) -> None:
    result = CliRunner().invoke(app, ["serve", "--port", "0", option, value])
    assert result.exit_code == 2
    assert option in result.output
