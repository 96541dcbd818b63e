"""Large imports show a progress bar on stderr; small ones and --quiet do not."""

from dashapp.importer import import_csv, pipeline

TEXT = "Order ID,Order Date,Customer,SKU,Amount\n" + "".join(
    f"P{i},2024-01-02,Acme,P1,1.00\n" for i in range(30)
)


def test_progress_bar_on_large_files(engine, write_csv, capsys, monkeypatch):
    monkeypatch.setattr(pipeline, "PROGRESS_MIN_ROWS", 10)
    import_csv(engine, write_csv(TEXT), progress=True)
    assert "Writing" in capsys.readouterr().err


def test_no_progress_bar_when_not_asked(engine, write_csv, capsys, monkeypatch):
    monkeypatch.setattr(pipeline, "PROGRESS_MIN_ROWS", 10)
    import_csv(engine, write_csv(TEXT), progress=False)
    assert capsys.readouterr().err == ""
