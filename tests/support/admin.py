"""Helpers for tests of the admin."""


def admin_form_data(client, url, **changes):
    """An admin change form as the browser would post it, with ``changes``."""
    response = client.get(url)

    def value_of(form, name, field):
        value = form.initial.get(name, field.initial)
        if name == "tags":  # the tags box posts one name per tag
            return [getattr(tag, "name", tag) for tag in value or []]
        if hasattr(value, "__iter__") and not isinstance(value, (str, bytes, dict)):
            return [getattr(item, "pk", item) for item in value]
        return value

    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = value_of(form, name, field)
        if value is not None:
            data[name] = value
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{name}"] = management.initial.get(name, management[name].value())
        for inline_form in formset.formset.forms:
            for name, field in inline_form.fields.items():
                value = value_of(inline_form, name, field)
                if value is not None:
                    data[inline_form.add_prefix(name)] = value
    data.update(changes)
    return data
