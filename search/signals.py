"""Keep the search documents current on every write, the admin and the dataset loader included.

Indexing runs in the writer's transaction (not on commit): a rolled-back load leaves no stray
documents, and a record saved in a test is searchable at once.

What triggers re-indexing a record:
* its own save or delete;
* its aliases (agreement aliases are rows of their own) and citations (quotes are weight C);
* its many-to-many regions (facets), a region's members (a jurisdiction's regions);
* a stage's save or delete (the derived stage facet of the records in its region).
A save that brings a new name (region, jurisdiction, alias, agreement short title, mechanism)
stores that word in the dictionary under a new version (search/dictionary.py) and re-segments the
documents that contain it, so 「八个一体化」 becomes one word in records indexed before the
mechanism existed; other processes load the new version at their next search.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from .documents import index_record, indexed_models, prefetched, unindex_record

_deferred = threading.local()


@contextmanager
def indexing_deferred(*, progress: bool = False):
    """Skip per-record indexing inside the block; if anything was written, rebuild once at the end.

    For bulk loads (load_portal_data): one rebuild (a bulk write, with a progress bar on a
    terminal) instead of re-indexing each record as it is saved, several times over. Use it
    inside the load's transaction, so the rebuild commits or rolls back with the load.
    """
    from .documents import rebuild_index

    outer = getattr(_deferred, "active", False)
    _deferred.active, _deferred.dirty = True, getattr(_deferred, "dirty", False) if outer else False
    try:
        yield
    finally:
        dirty = _deferred.dirty
        _deferred.active = outer
        if not outer:
            _deferred.dirty = False
    if not outer and dirty:
        # Both cores (one worker per CPU) segment a large load; a small one stays in this process.
        rebuild_index(workers=os.cpu_count() or 1, progress=progress)


def _skipped() -> bool:
    if getattr(_deferred, "active", False):
        _deferred.dirty = True
        return True
    return False


def _reindex(model, pks) -> None:
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return
    for obj in prefetched(model).filter(pk__in=pks):
        index_record(obj)


def _learn_words(obj) -> None:
    """Store the names a saved record brings (a new dictionary version), and re-segment the
    documents that contain a new word, all in the writer's transaction; every other process
    picks the version up at its next search (search/text.py: Segmenter.refresh)."""
    from .dictionary import dictionary_add, record_synonyms, record_words
    from .models import SearchDocument
    from .text import segmenter

    new = dictionary_add(words=record_words(obj), synonyms=record_synonyms(obj))
    if not new:
        return
    segmenter.refresh()
    condition = Q()
    for word in new:
        condition |= Q(title__contains=word) | Q(body__contains=word)
    stale = SearchDocument.objects.filter(condition).values_list("content_type_id", "object_id")
    by_type: dict[int, list[int]] = {}
    for ct, oid in stale:
        by_type.setdefault(ct, []).append(oid)
    for ct, oids in by_type.items():
        model = ContentType.objects.get_for_id(ct).model_class()
        if model is not None:
            _reindex(model, oids)


def record_saved(sender, instance, raw=False, **kwargs):
    if _skipped():
        return
    if raw:
        return
    _learn_words(instance)
    _reindex(sender, [instance.pk])
    from regions.models import Stage

    if sender is Stage:
        _reindex_region_records(instance.region_id)


def record_deleted(sender, instance, **kwargs):
    if _skipped():
        return
    unindex_record(sender, instance.pk)
    from regions.models import Stage

    if sender is Stage:
        _reindex_region_records(instance.region_id)


def _reindex_region_records(region_id) -> None:
    from agreements.models import Agreement
    from mechanisms.models import Mechanism
    from regions.models import Region
    from timeline.models import Event

    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        return
    ids = Region.objects.with_descendants(region)
    for model in (Agreement, Mechanism, Event):
        _reindex(model, model.objects.filter(regions__in=ids).values_list("pk", flat=True).distinct())


def alias_changed(sender, instance, **kwargs):
    if _skipped():
        return
    from agreements.models import Agreement

    if kwargs.get("raw"):
        return
    if kwargs.get("signal") is post_save:
        _learn_words(instance)
    _reindex(Agreement, [instance.agreement_id])


def citation_changed(sender, instance, **kwargs):
    if _skipped():
        return
    if kwargs.get("raw"):
        return
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    if model in indexed_models():
        _reindex(model, [instance.object_id])


def m2m_regions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if _skipped():
        return
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if action == "pre_clear":
        # After a clear pk_set is empty: remember which records lose their links.
        if reverse:
            instance._search_cleared = list(getattr(instance, _reverse_accessor(sender, model)).values_list("pk", flat=True))
        return
    if not reverse:
        _reindex(type(instance), [instance.pk])
    else:
        pks = list(pk_set or []) or getattr(instance, "_search_cleared", [])
        _reindex(model, pks)


def _reverse_accessor(through, model) -> str:
    """The name under which the far side (a region) reaches ``model``'s records over ``through``."""
    for field in model._meta.many_to_many:
        if field.remote_field.through is through:
            return field.remote_field.get_accessor_name()
    return ""


def members_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if _skipped():
        return
    from regions.models import Jurisdiction

    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # instance is a jurisdiction
        _reindex(Jurisdiction, [instance.pk])
    else:  # instance is a region; pk_set are jurisdictions (empty after clear: re-index all)
        pks = pk_set if pk_set else Jurisdiction.objects.values_list("pk", flat=True)
        _reindex(Jurisdiction, list(pks))


def connect() -> None:
    from agreements.models import Agreement, AgreementAlias
    from findings.models import Finding
    from mechanisms.models import Mechanism
    from regions.models import Region
    from sources.models import Citation
    from timeline.models import Event

    for model in indexed_models():
        post_save.connect(record_saved, sender=model, dispatch_uid=f"search-save-{model._meta.label_lower}")
        post_delete.connect(record_deleted, sender=model, dispatch_uid=f"search-delete-{model._meta.label_lower}")
    post_save.connect(alias_changed, sender=AgreementAlias, dispatch_uid="search-alias-save")
    post_delete.connect(alias_changed, sender=AgreementAlias, dispatch_uid="search-alias-delete")
    post_save.connect(citation_changed, sender=Citation, dispatch_uid="search-citation-save")
    post_delete.connect(citation_changed, sender=Citation, dispatch_uid="search-citation-delete")
    for model in (Agreement, Mechanism, Event, Finding):
        m2m_changed.connect(
            m2m_regions_changed, sender=model.regions.through, dispatch_uid=f"search-regions-{model._meta.label_lower}"
        )
    m2m_changed.connect(members_changed, sender=Region.members.through, dispatch_uid="search-region-members")
