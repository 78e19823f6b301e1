"""Imported by the extraction worker's forkserver when metadata is read in the child
(:mod:`indexer.pipeline.reading`): reading one small document folds the readers' word lists there once,
so that each forked child starts with them folded."""
from __future__ import annotations

from indexer.metadata import read_metadata

SAMPLE = ("بسمه تعالی\nصورتجلسه هیأت‌مدیره سازمان\nجلسه شماره ۱۲ تاریخ: ۱۴۰۲/۰۱/۱۵\n"
          "موضوع: بودجه\nمصوبه ۱: بودجه تصویب شد.\nبازگشت به نامه شماره ۱۲۳ مورخ ۲ خرداد ۱۴۰۱\n")
read_metadata(SAMPLE, "preload", ())
