"""The ITSS framework as validated data."""

from itss.catalogue.catalogue import Catalogue, FieldLevel
from itss.catalogue.loader import builtin_files, load_catalogue
from itss.catalogue.models import Category, Criterion, Level, SpecialtyField, Text

__all__ = [
    "Catalogue",
    "Category",
    "Criterion",
    "FieldLevel",
    "Level",
    "SpecialtyField",
    "Text",
    "builtin_files",
    "load_catalogue",
]
