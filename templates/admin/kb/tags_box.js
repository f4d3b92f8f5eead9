{% comment %}
  The review form's tags box (reviews/admin/tags.py): Select2 as bundled with
  Django's admin, in "tags" mode. Served by the admin at
  /admin/reviews/review/tags-box.js because the options below are functions,
  which the data-* attributes Django's own autocomplete uses cannot carry.
{% endcomment %}'use strict';
{
    const $ = django.jQuery;

    function tagsBox(element) {
        $(element).select2({
            ajax: {
                url: element.dataset.suggestionsUrl,
                dataType: 'json',
                delay: 250,
                cache: true,
                data: (params) => ({term: params.term, page: params.page})
            },
            tags: true,
            tokenSeparators: [','],
            createTag: (params) => {
                const term = $.trim(params.term);
                return term ? {id: term, text: term, newTag: true} : null;
            },
            // The typed words come after the tags in use, so that Enter picks a
            // tag in use, and reusing a spelling is the easy thing to do.
            insertTag: (data, tag) => { data.push(tag); },
            templateResult: (item) => item.newTag ? 'New tag: ' + item.text : item.text
        });
    }

    $(function() {
        $('.kb-tags-box').each((i, element) => tagsBox(element));
    });
}
