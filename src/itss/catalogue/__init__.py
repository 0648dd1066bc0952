"""The ITSS framework as validated data."""

from itss.catalogue.catalogue import Catalogue, FieldLevel
from itss.catalogue.loader import Document, build_catalogue
from itss.catalogue.models import Category, Criterion, Level, SpecialtyField, Text

__all__ = [
    "Catalogue",
    "Category",
    "Criterion",
    "Document",
    "FieldLevel",
    "Level",
    "SpecialtyField",
    "Text",
    "build_catalogue",
]
