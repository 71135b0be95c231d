"""A stored search document per post, kept up to date by PostgreSQL (blog/search.py).

`blog_post.search_vector` holds the weighted Dutch document of a post: title (A), tag
names (B), the editor's introduction (B), body (C). Triggers keep it current:

- a post's own row: computed on insert, and on an update that changes the title, the
  introduction or the body (a status change or go-live does not parse the text again);
- tags: adding or removing a post's tags (statement triggers on blog_taggedpost, one update
  per statement however many rows) and renaming a tag recompute the posts concerned, by
  setting the column to NULL, which the row trigger fills in again.

So a search ranks posts without parsing their text, and one GIN index answers both text
and tag matches (the expression index of 0002 is replaced; the name stays). The model does
not know the column (blog.search.StoredSearchVector names it), so no page loads it. SQLite
has no tsvector: there this migration does nothing.
"""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS blog_post_search_idx",
    "ALTER TABLE blog_post ADD COLUMN search_vector tsvector",
    """
    CREATE FUNCTION blog_post_search_document(post_id bigint, title text, intro text, body text)
    RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('dutch'::regconfig, COALESCE(title, '')), 'A')
            || setweight(to_tsvector('dutch'::regconfig, COALESCE((
                   SELECT string_agg(tag.name, ' ' ORDER BY tag.name)
                   FROM blog_taggedpost tagged
                   JOIN taggit_tag tag ON tag.id = tagged.tag_id
                   WHERE tagged.content_object_id = post_id), '')), 'B')
            || setweight(to_tsvector('dutch'::regconfig, COALESCE(intro, '')), 'B')
            || setweight(to_tsvector('dutch'::regconfig, COALESCE(body, '')), 'C')
    $$
    """,
    """
    CREATE FUNCTION blog_post_search_vector_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' OR NEW.search_vector IS NULL
           OR NEW.title IS DISTINCT FROM OLD.title
           OR NEW.intro IS DISTINCT FROM OLD.intro
           OR NEW.body_html IS DISTINCT FROM OLD.body_html THEN
            NEW.search_vector := blog_post_search_document(
                NEW.id, NEW.title, NEW.intro, NEW.body_html);
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER blog_post_search_vector BEFORE INSERT OR UPDATE ON blog_post
    FOR EACH ROW EXECUTE FUNCTION blog_post_search_vector_update()
    """,
    """
    CREATE FUNCTION blog_taggedpost_search_vector_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE blog_post SET search_vector = NULL
        WHERE id IN (SELECT content_object_id FROM changed_rows);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER blog_taggedpost_search_vector_insert AFTER INSERT ON blog_taggedpost
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION blog_taggedpost_search_vector_added()
    """,
    """
    CREATE TRIGGER blog_taggedpost_search_vector_delete AFTER DELETE ON blog_taggedpost
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION blog_taggedpost_search_vector_added()
    """,
    """
    CREATE FUNCTION blog_taggedpost_search_vector_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE blog_post SET search_vector = NULL
        WHERE id IN (SELECT content_object_id FROM old_rows
                     UNION SELECT content_object_id FROM new_rows);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER blog_taggedpost_search_vector_update AFTER UPDATE ON blog_taggedpost
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION blog_taggedpost_search_vector_moved()
    """,
    """
    CREATE FUNCTION taggit_tag_search_vector_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE blog_post SET search_vector = NULL
        WHERE id IN (SELECT content_object_id FROM blog_taggedpost WHERE tag_id = NEW.id);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER taggit_tag_search_vector AFTER UPDATE OF name ON taggit_tag
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION taggit_tag_search_vector_renamed()
    """,
    # Existing posts: the row trigger fills in what is NULL.
    "UPDATE blog_post SET search_vector = NULL",
    "ALTER TABLE blog_post ALTER COLUMN search_vector SET NOT NULL",
    "CREATE INDEX blog_post_search_idx ON blog_post USING gin (search_vector)",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS taggit_tag_search_vector ON taggit_tag",
    "DROP FUNCTION IF EXISTS taggit_tag_search_vector_renamed()",
    "DROP TRIGGER IF EXISTS blog_taggedpost_search_vector_insert ON blog_taggedpost",
    "DROP TRIGGER IF EXISTS blog_taggedpost_search_vector_delete ON blog_taggedpost",
    "DROP TRIGGER IF EXISTS blog_taggedpost_search_vector_update ON blog_taggedpost",
    "DROP FUNCTION IF EXISTS blog_taggedpost_search_vector_moved()",
    "DROP FUNCTION IF EXISTS blog_taggedpost_search_vector_added()",
    "DROP TRIGGER IF EXISTS blog_post_search_vector ON blog_post",
    "DROP FUNCTION IF EXISTS blog_post_search_vector_update()",
    "DROP FUNCTION IF EXISTS blog_post_search_document(bigint, text, text, text)",
    "DROP INDEX IF EXISTS blog_post_search_idx",
    "ALTER TABLE blog_post DROP COLUMN IF EXISTS search_vector",
    """
    CREATE INDEX blog_post_search_idx ON blog_post USING gin ((
        setweight(to_tsvector('dutch'::regconfig, COALESCE(title, '')), 'A')
        || setweight(to_tsvector('dutch'::regconfig, COALESCE(intro, '')), 'B')
        || setweight(to_tsvector('dutch'::regconfig, COALESCE(body_html, '')), 'C')
    ))
    """,
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("blog", "0005_tagged_post"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
