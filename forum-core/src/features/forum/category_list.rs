//! Categories: listed as a viewer may see them, created by admins.

use std::sync::Arc;

use super::*;

/// Every category with its groups and thread count.
type CategoryList = crate::store::db::CategoryList;

fn load_categories(conn: &mut DbConnection) -> Result<CategoryList> {
    let restrictions = Restrictions::load(conn)?;
    let rows: Vec<Category> = categories::table
        .order((categories::position.asc(), categories::id.asc()))
        .select(Category::as_select())
        .load(conn)?;
    let counts: HashMap<CategoryId, i64> = threads::table
        .group_by(threads::category_id)
        .select((threads::category_id, diesel::dsl::count_star()))
        .load::<(CategoryId, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(Arc::new(
        rows.into_iter()
            .map(|c| {
                let groups = restrictions.get(&c.id).cloned().unwrap_or_default();
                let count = counts.get(&c.id).copied().unwrap_or(0);
                (c, groups, count)
            })
            .collect(),
    ))
}

impl Db {
    /// Categories `viewer` may see, in display order. The list (with its
    /// thread counts, a count over every thread) comes from
    /// [`Db::category_cache`] when that is fresh; who may see each
    /// category is decided here, each time.
    pub fn categories(&self, viewer: &Viewer) -> Result<Vec<CategoryView>> {
        let cache = self.category_cache();
        let all = match cache.local_hit(self, &()) {
            Some(all) => all,
            None => cache
                .get_or_load(self, &(), || self.read(load_categories).map(Some))?
                .unwrap_or_default(),
        };
        // A thread whose mark keeps it from the viewer is not counted
        // either: a count is a side channel too.
        let mut unread: HashMap<CategoryId, i64> = HashMap::new();
        let marked = self.marked_threads()?;
        for id in self.hidden_threads(viewer)? {
            if let Some(t) = marked.iter().find(|t| t.thread_id == id) {
                *unread.entry(t.category_id).or_default() += 1;
            }
        }
        Ok(all
            .iter()
            .filter(|(_, groups, _)| access::can_see_category(viewer, groups))
            .map(|(c, groups, count)| CategoryView {
                thread_count: count - unread.get(&c.id).copied().unwrap_or(0),
                id: c.id,
                slug: c.slug.clone(),
                name: c.name.clone(),
                description: c.description.clone(),
                restricted_to_groups: groups.clone(),
            })
            .collect())
    }

    /// A category by slug, if visible.
    pub fn category_by_slug(&self, viewer: &Viewer, slug: &str) -> Result<CategoryView> {
        self.categories(viewer)?
            .into_iter()
            .find(|c| c.slug == slug)
            .ok_or(CoreError::NotFound)
    }

    /// Creates a category (admins).
    pub fn create_category(
        &self,
        viewer: &Viewer,
        slug: &str,
        name: &str,
        description: &str,
        restricted_to_groups: &[GroupId],
    ) -> Result<CategoryView> {
        access::check_second_factor(viewer)?;
        if !access::can_manage_categories(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only admins can create categories",
            ));
        }
        let slug = Slug::parse(slug)?;
        let name = parse_line("name", name, 1, 80)?;
        let description = parse_text("description", description, 1000)?;
        let groups: Vec<GroupId> = restricted_to_groups
            .iter()
            .copied()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        self.write(|conn| {
            let category = insert_category(conn, viewer, &slug, &name, &description, &groups)?;
            crate::store::audit::append(
                conn,
                crate::store::audit::Entry {
                    actor: Some(viewer.id),
                    action: "category.create",
                    target: format!("category:{}", category.id),
                    reason: "",
                    details: serde_json::json!({ "slug": category.slug, "restricted_to_groups": groups }),
                },
            )?;
            Ok(CategoryView {
                id: category.id,
                slug: category.slug,
                name: category.name,
                description: category.description,
                restricted_to_groups: groups,
                thread_count: 0,
            })
        })
    }
}

/// Stores a category restricted to `groups` (empty: open), in the
/// caller's transaction: 409 `slug_taken`, 422 on an unknown group.
pub(crate) fn insert_category(
    conn: &mut DbConnection,
    viewer: &Viewer,
    slug: &Slug,
    name: &str,
    description: &str,
    groups: &[GroupId],
) -> Result<Category> {
    let taken: i64 = categories::table
        .filter(categories::slug.eq(slug.as_str()))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(CoreError::conflict(
            ErrorCode::SlugTaken,
            "a category with this slug exists",
        ));
    }
    let known: i64 = groups::table
        .filter(groups::id.eq_any(groups))
        .count()
        .get_result(conn)?;
    if known != groups.len() as i64 {
        return Err(CoreError::invalid("restricted_to_groups", "unknown group"));
    }
    let position: i64 = categories::table
        .select(diesel::dsl::max(categories::position))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0)
        + 1;
    let category = diesel::insert_into(categories::table)
        .values((
            categories::slug.eq(slug.as_str()),
            categories::name.eq(name),
            categories::description.eq(description),
            categories::position.eq(position),
            categories::created_at.eq(now()),
        ))
        .returning(categories::all_columns)
        .get_result::<Category>(conn)?;
    for group in groups {
        diesel::insert_into(category_groups::table)
            .values((
                category_groups::category_id.eq(category.id),
                category_groups::group_id.eq(group),
            ))
            .execute(conn)?;
    }
    events::append(
        conn,
        &Event::CategoryCreated(event_payloads::CategoryCreated {
            id: category.id,
            slug: category.slug.clone(),
            name: category.name.clone(),
        }),
        None,
        Some(category.id),
        Some(viewer.id),
    )?;
    Ok(category)
}
