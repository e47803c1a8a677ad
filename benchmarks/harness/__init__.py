"""What the tests and the benchmarks both drive: the loopback LimeSurvey server, headless chromium, the
hostile-input strategies and their judge, the crash harness, the secrets scan, `toegang` processes and study
files. The benchmarks import these, never a test module; the tests import them too."""
