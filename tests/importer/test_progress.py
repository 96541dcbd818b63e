"""An import phase that lasts over a second shows a progress bar on stderr (issue 21: every
file, not only above 10k rows); quick ones and --quiet do not."""

from dashapp.importer import import_csv, pipeline

TEXT = "Order ID,Order Date,Customer,SKU,Amount\n" + "".join(
    f"P{i},2024-01-02,Acme,P1,1.00\n" for i in range(30)
)


def test_progress_bar_on_slow_files(engine, write_csv, capsys, monkeypatch):
    monkeypatch.setattr(pipeline, "PROGRESS_DELAY", 0)
    import_csv(engine, write_csv(TEXT), progress=True)
    assert "Writing" in capsys.readouterr().err


def test_no_progress_bar_when_not_asked(engine, write_csv, capsys, monkeypatch):
    monkeypatch.setattr(pipeline, "PROGRESS_DELAY", 0)
    import_csv(engine, write_csv(TEXT), progress=False)
    assert capsys.readouterr().err == ""
