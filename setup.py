"""Ship corpus/ and prompts/ inside the package: they stay at the top of the repository (where users edit them)
and are copied into assistant/ when the wheel is built, where assistant/datafiles.py finds them once installed."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_DIRS = ("corpus", "prompts")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        root = Path(__file__).resolve().parent
        for name in DATA_DIRS:
            self.copy_tree(str(root / name), str(Path(self.build_lib) / "assistant" / name))


setup(cmdclass={"build_py": BuildPyWithData})
