"""Only what pyproject.toml cannot say: the wheel carries the top-level assets/ folder (CSS, JS,
map shapes) inside the package as dashapp/assets, so an installed app serves them."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithAssets(build_py):
    def run(self) -> None:
        super().run()
        source = Path(__file__).resolve().parent / "assets"
        if source.is_dir():
            shutil.copytree(source, Path(self.build_lib) / "dashapp" / "assets", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithAssets})
