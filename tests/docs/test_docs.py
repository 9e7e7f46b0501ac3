#!/usr/bin/env python3
"""The documentation a new user meets first says true things (issue 12 items 15-18,
issue 13 item 5). Standard library only.

    test_docs.py SOURCE_ROOT
"""
import os
import re
import sys
import unittest

ROOT = None  # set by main()


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return f.read()


def packages(text):
    """The package names of an `apt-get install` command continued over lines."""
    m = re.search(r"apt-get install -y((?:[^\n]*\\\n)*[^\n]*)", text)
    assert m, "no apt-get install line"
    words = m.group(1).replace("\\\n", " ").split("&&")[0].split()
    return [w for w in words if not w.startswith("-") and w != "$SUDO"]


class InstallLine(unittest.TestCase):
    def test_readme_and_ci_install_the_same_packages(self):
        readme = packages(read("README.md"))
        ci = packages(read(".ci", "run"))
        missing = sorted(set(readme) - set(ci))
        self.assertEqual(missing, [], ".ci/run lacks packages of the README's install line")
        # CI-only extras are allowed, but no package a user needs may be CI-only.
        ci_only = sorted(set(ci) - set(readme))
        self.assertEqual(ci_only, ["libc6-dev", "locales", "python3", "valgrind"])

    def test_readme_installs_what_the_tests_and_examples_need(self):
        readme = packages(read("README.md"))
        # The ABI check (tests/abi) and the chart example (examples/python) skip or fail without these.
        for pkg in ("abigail-tools", "python3-matplotlib", "python3-pandas", "python3-numpy"):
            self.assertIn(pkg, readme)

    def test_readme_says_what_root_does_without_sudo(self):
        text = read("README.md")
        i = text.index("sudo apt-get install")
        self.assertIn("without `sudo`", text[i:i + 1500])


class ModelDocumentation(unittest.TestCase):
    def test_model_is_documented_in_the_repository(self):
        text = read("docs", "model.md")
        for source in ("ACM0002", "TOOL07", "OECD", "IMF", "PCAF"):
            self.assertIn(source, text)
        for section in ("Loans", "Energy", "Carbon", "Projects", "Fund and portfolio"):
            self.assertRegex(text, r"\n## \d+\. " + section + r"\n")
        self.assertTrue(os.path.isfile(os.path.join(ROOT, "docs", "architecture.md")))

    def test_header_and_command_cite_docs_not_model_md(self):
        for parts in (("include", "greenfin.h"), ("tools", "greenfin", "greenfin.c")):
            text = read(*parts)
            self.assertNotIn("MODEL.md", text, "/".join(parts))
            self.assertIn("docs/model.md", text, "/".join(parts))


def main():
    global ROOT
    ROOT = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=1)


if __name__ == "__main__":
    main()
