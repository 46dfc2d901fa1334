"""What the OpenAPI schema says once for every operation, so that it states what the API enforces (issue 14).

drf-spectacular describes each view's own parameters and answers; two rules hold across the API and
are written here, after generation (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``):

- An empty optional parameter (``?kind=``) is the same as leaving it out, as the pages' filter
  forms send it. The schema says so with ``allowEmptyValue``. The exceptions are the texts that
  refuse blank (``search``, ``q``): their schema has ``minLength: 1``, and they keep it.
- Any request may be stopped before its view (portal/guard.py: a NUL byte, bytes that are not
  UTF-8, too many parameters: 400; a URL too long: 414), throttled (429), or find the database away
  (503). Each answer is JSON with a ``detail``; every operation lists them.
"""

ERROR_REF = {"$ref": "#/components/schemas/Error"}
EVERYWHERE = {
    "400": "请求无效：参数有误，或含空字符、非 UTF-8 字节，或参数过多；detail 说明原因。",
    "414": "请求的地址过长。",
    "429": "请求过于频繁（匿名限流）。",
    "503": "数据库暂时无法连接，请稍后再试（见 Retry-After）。",
}


def _refuses_blank(schema: dict) -> bool:
    return schema.get("minLength", 0) >= 1


def state_api_rules(result, generator, request, public):
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and not parameter.get("required") and not _refuses_blank(parameter["schema"]):
                    parameter["allowEmptyValue"] = True
            responses = operation.setdefault("responses", {})
            for status, description in EVERYWHERE.items():
                documented = responses.setdefault(status, {"description": description})
                documented.setdefault("content", {"application/json": {"schema": ERROR_REF}})
    return result
