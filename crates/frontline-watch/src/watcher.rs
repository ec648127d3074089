//! The loop: poll due feeds, fetch their new items' pages, extract, store, repeat.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use frontline_model::{DocumentMeta, Extraction, Origin};
use frontline_store::{PutOutcome, Store};
use tokio::sync::{Semaphore, broadcast, watch};
use tokio::task::JoinSet;
use url::Url;

use crate::WatchError;
use crate::canon::{canonical, content_hash};
use crate::config::{Config, FeedConfig, FeedKind, Filters, Settings};
use crate::http::{FetchError, Fetched, Fetcher, Page};
use crate::items::{read_items, sitemap_index};
use crate::metrics::Metrics;
use crate::state::{Finished, Pending, State, now};

/// The extraction step: metadata and raw text in, an extraction out (the binary passes the
/// pipeline; tests may pass something simpler).
pub type ExtractFn = Arc<dyn Fn(DocumentMeta, &str) -> Extraction + Send + Sync>;

/// Attempts at an item's page before it is failed for good.
const ITEM_ATTEMPTS: i64 = 5;

/// What one batch stored, sent to live subscribers (the UI's event stream).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Update {
    /// New documents stored.
    pub documents: u64,
    /// Events in them.
    pub events: u64,
    /// Fused events they started.
    pub fused_created: u64,
    /// When (Unix seconds).
    pub at: i64,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Feed polls that brought a body.
    pub polls_changed: u64,
    /// Feed polls answered 304.
    pub polls_not_modified: u64,
    /// Feed polls that failed.
    pub polls_failed: u64,
    /// Documents stored.
    pub documents: u64,
    /// Items that were copies of stored ones (same canonical text).
    pub duplicates: u64,
    /// Items skipped or failed.
    pub failed: u64,
}

struct Feed {
    cfg: FeedConfig,
    url: Url,
    filters: Filters,
}

/// The watcher. Create it with [`Watcher::new`], then [`Watcher::run`].
pub struct Watcher {
    settings: Settings,
    feeds: HashMap<String, Arc<Feed>>,
    fetcher: Arc<Fetcher>,
    state: Arc<Mutex<State>>,
    store: Arc<Store>,
    extract: ExtractFn,
    metrics: Arc<Metrics>,
    updates: broadcast::Sender<Update>,
    summary: Mutex<Summary>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

impl Watcher {
    /// A watcher over `config`'s feeds, storing into `store` (which must live in a file:
    /// the watch state shares it).
    pub fn new(
        config: Config,
        store: Arc<Store>,
        extract: ExtractFn,
        metrics: Arc<Metrics>,
    ) -> Result<Self, WatchError> {
        config.validate()?;
        let path = store
            .path()
            .ok_or_else(|| WatchError::State("the store must be a file, not in memory".into()))?
            .to_path_buf();
        let state = State::open(&path)?;
        let mut feeds = HashMap::new();
        for f in config.feeds.into_iter().filter(|f| f.enabled) {
            let url = Url::parse(&f.url)
                .map_err(|e| WatchError::Config(format!("feed {}: {e}", f.url)))?;
            let filters = Filters::of(&f)?;
            feeds.insert(
                f.url.clone(),
                Arc::new(Feed {
                    cfg: f,
                    url,
                    filters,
                }),
            );
        }
        state.add_feeds(feeds.keys().map(String::as_str))?;
        let fetcher = Arc::new(Fetcher::new(config.watch.clone(), metrics.clone())?);
        let (updates, _) = broadcast::channel(64);
        Ok(Self {
            settings: config.watch,
            feeds,
            fetcher,
            state: Arc::new(Mutex::new(state)),
            store,
            extract,
            metrics,
            updates,
            summary: Mutex::new(Summary::default()),
        })
    }

    /// The counters.
    pub fn metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    /// A receiver of one [`Update`] per stored batch.
    pub fn subscribe(&self) -> broadcast::Receiver<Update> {
        self.updates.subscribe()
    }

    /// Every feed's health.
    pub fn health(&self) -> Result<Vec<crate::state::FeedHealth>, WatchError> {
        lock(&self.state).health()
    }

    /// The totals so far.
    pub fn summary(&self) -> Summary {
        lock(&self.summary).clone()
    }

    /// Runs until `stop` turns true (the batch in progress is finished first), or, with
    /// `once`, until every feed was polled once and every item due was handled (items put
    /// back for a later try after a transient failure stay pending for the next run).
    pub async fn run(
        &self,
        mut stop: watch::Receiver<bool>,
        once: bool,
    ) -> Result<Summary, WatchError> {
        let mut polled_once = false;
        loop {
            if *stop.borrow() {
                break;
            }
            let due: Vec<Arc<Feed>> = {
                let t = now();
                let polls = lock(&self.state).next_polls()?;
                polls
                    .into_iter()
                    .filter(|(_, next)| *next <= t || (once && !polled_once))
                    .filter_map(|(u, _)| self.feeds.get(&u).cloned())
                    .collect()
            };
            if !(once && polled_once) {
                self.poll_all(due).await?;
            }
            polled_once = true;
            // Drain what is due, one batch at a time, checking for a stop between batches.
            while !*stop.borrow() {
                let n = self.process_batch().await?;
                if n == 0 {
                    break;
                }
            }
            if once {
                // Items put back for a later try stay pending for the next run.
                break;
            }
            let wait = self.next_wake()?;
            sleep_or_stop(wait, &mut stop).await;
        }
        Ok(self.summary())
    }

    fn next_wake(&self) -> Result<Duration, WatchError> {
        let s = lock(&self.state);
        let t = now();
        let polls = s
            .next_polls()?
            .into_iter()
            .filter(|(u, _)| self.feeds.contains_key(u))
            .map(|(_, n)| n)
            .min();
        let next = [polls, s.next_retry()?]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(t + 60);
        Ok(Duration::from_secs((next - t).clamp(1, 3600) as u64))
    }

    async fn poll_all(&self, due: Vec<Arc<Feed>>) -> Result<(), WatchError> {
        let mut set = JoinSet::new();
        let limits = SitemapLimits {
            children: self.settings.sitemap_children,
            depth: self.settings.sitemap_depth,
        };
        for feed in due {
            let fetcher = self.fetcher.clone();
            let validators = lock(&self.state).validators(&feed.cfg.url)?;
            set.spawn(async move {
                let r = fetcher.fetch(&feed.url, &validators).await;
                let children = match &r {
                    Ok(Fetched::Body(page)) => sitemap_children(&fetcher, page, limits).await,
                    _ => Vec::new(),
                };
                (feed, r, children)
            });
        }
        while let Some(joined) = set.join_next().await {
            let Ok((feed, result, children)) = joined else {
                continue;
            };
            self.record_poll(&feed, result, &children)?;
        }
        Ok(())
    }

    fn poll_interval(&self, feed: &Feed) -> i64 {
        feed.cfg.poll_s.unwrap_or(self.settings.poll_s).max(1) as i64
    }

    /// Records one poll: its items (read from `children` instead of the body when the body is
    /// a sitemap index whose child sitemaps were fetched), or its failure and backoff.
    fn record_poll(
        &self,
        feed: &Feed,
        result: Result<Fetched, FetchError>,
        children: &[Page],
    ) -> Result<(), WatchError> {
        let interval = self.poll_interval(feed);
        let next = now() + interval;
        let outcome = match result {
            Ok(Fetched::NotModified) => {
                self.metrics.count_poll("not_modified");
                lock(&self.summary).polls_not_modified += 1;
                lock(&self.state).record_poll(&feed.cfg.url, None, &[], next)?;
                return Ok(());
            }
            Ok(Fetched::Body(page)) => self.read_feed_page(feed, &page, children),
            Err(e) => Err(e.to_string()),
        };
        match outcome {
            Ok(items) => {
                self.metrics.count_poll("changed");
                lock(&self.summary).polls_changed += 1;
                let mut s = lock(&self.state);
                let (validators, items) = items;
                let new = s.record_poll(&feed.cfg.url, Some(&validators), &items, next)?;
                tracing::info!(feed = %feed.cfg.url, items = items.len(), new, "polled");
            }
            Err(error) => {
                self.metrics.count_poll("failed");
                lock(&self.summary).polls_failed += 1;
                let cap = self.settings.max_backoff_s.max(1) as i64;
                let failures =
                    lock(&self.state).record_poll_failure(&feed.cfg.url, &error, |n| {
                        let backoff = interval.saturating_mul(1i64 << n.clamp(0, 20)).min(cap);
                        now() + backoff / 2 + (fastrand::f64() * (backoff / 2) as f64) as i64
                    })?;
                tracing::warn!(feed = %feed.cfg.url, failures, %error, "poll failed; backing off");
            }
        }
        Ok(())
    }

    fn read_feed_page(
        &self,
        feed: &Feed,
        page: &Page,
        children: &[Page],
    ) -> Result<(crate::http::Validators, Vec<crate::state::NewItem>), String> {
        let items = if children.is_empty() {
            read_items(&page_text(page), &page.url, feed.cfg.kind, &feed.filters)
                .map_err(|e| e.to_string())?
        } else {
            let mut seen = HashSet::new();
            let mut items = Vec::new();
            for child in children {
                let text = page_text(child);
                match read_items(&text, &child.url, FeedKind::Sitemap, &feed.filters) {
                    Ok(found) => {
                        items.extend(found.into_iter().filter(|i| seen.insert(i.url.clone())));
                    }
                    Err(e) => {
                        tracing::warn!(feed = %feed.cfg.url, sitemap = %child.url, error = %e, "child sitemap not read");
                    }
                }
            }
            items
        };
        let max_age = self.settings.max_age_days as i64 * 86400;
        let t = now();
        let items = items
            .into_iter()
            .filter(|i| max_age == 0 || i.published.is_none_or(|p| t - p <= max_age))
            .collect::<Vec<_>>();
        for i in items.iter().filter(|i| i.refused.is_some()) {
            self.metrics.count_item("refused");
            tracing::warn!(feed = %feed.cfg.url, link = %i.url, "link not followed");
        }
        Ok((page.validators.clone(), items))
    }

    /// Fetches, extracts and stores up to one batch of pending items; returns how many were
    /// handled (0: nothing was due).
    async fn process_batch(&self) -> Result<usize, WatchError> {
        let pending = lock(&self.state).pending(self.settings.batch)?;
        if pending.is_empty() {
            return Ok(0);
        }
        let n = pending.len();
        let mut finished: Vec<Finished> = Vec::new();
        let mut to_fetch = Vec::new();
        for p in pending {
            // Stored before a crash, not yet marked: done without a second fetch.
            match lock(&self.state).stored_document_with_url(&p.url)? {
                Some(id) => finished.push(Finished {
                    url: p.url.clone(),
                    state: "done",
                    hash: None,
                    document_id: Some(id),
                    new_document: false,
                    error: None,
                }),
                None => to_fetch.push(p),
            }
        }
        let fetched = self.fetch_pages(to_fetch).await;
        let mut docs: Vec<(Pending, DocumentMeta, String, String)> = Vec::new();
        for (p, result) in fetched {
            match result {
                Ok(page) => match self.read_page(&p, page) {
                    Ok((meta, text)) => {
                        let hash = content_hash(&text);
                        let dup = lock(&self.state).url_with_hash(&hash)?;
                        let earlier = docs.iter().any(|(_, _, _, h)| *h == hash);
                        if let Some(first) =
                            dup.filter(|u| *u != p.url).or(earlier.then(String::new))
                        {
                            self.metrics.count_item("duplicate");
                            lock(&self.summary).duplicates += 1;
                            finished.push(Finished {
                                url: p.url.clone(),
                                state: "duplicate",
                                hash: Some(hash),
                                document_id: None,
                                new_document: false,
                                error: Some(format!("same text as {first}")),
                            });
                        } else {
                            docs.push((p, meta, text, hash));
                        }
                    }
                    Err(why) => finished.push(self.give_up(&p, why)),
                },
                Err(e) if e.is_transient() => {
                    let attempts = p.attempts + 1;
                    let delay = (self.settings.poll_s as i64)
                        .saturating_mul(1 << attempts.min(10))
                        .min(self.settings.max_backoff_s as i64);
                    lock(&self.state).retry_later(
                        &p.url,
                        &e.to_string(),
                        now() + delay.max(1),
                        ITEM_ATTEMPTS,
                    )?;
                    if attempts >= ITEM_ATTEMPTS {
                        self.metrics.count_item("failed");
                        lock(&self.summary).failed += 1;
                    }
                    tracing::warn!(url = %p.url, error = %e, attempts, "page fetch failed");
                }
                Err(e) => finished.push(self.give_up(&p, e.to_string())),
            }
        }
        finished.extend(self.store_docs(docs).await?);
        lock(&self.state).finish(&finished)?;
        Ok(n)
    }

    fn give_up(&self, p: &Pending, why: String) -> Finished {
        tracing::warn!(url = %p.url, error = %why, "item skipped");
        self.metrics.count_item("skipped");
        lock(&self.summary).failed += 1;
        Finished {
            url: p.url.clone(),
            state: "skipped",
            hash: None,
            document_id: None,
            new_document: false,
            error: Some(why),
        }
    }

    async fn fetch_pages(&self, items: Vec<Pending>) -> Vec<(Pending, Result<Page, FetchError>)> {
        let limit = Arc::new(Semaphore::new(self.settings.concurrency.max(1)));
        let mut set = JoinSet::new();
        for (i, p) in items.into_iter().enumerate() {
            let fetcher = self.fetcher.clone();
            let limit = limit.clone();
            set.spawn(async move {
                let _permit = limit.acquire_owned().await;
                let r = match Url::parse(&p.url) {
                    Ok(u) => fetcher
                        .fetch(&u, &Default::default())
                        .await
                        .and_then(|f| match f {
                            Fetched::Body(page) => Ok(page),
                            Fetched::NotModified => Err(FetchError::Network {
                                url: p.url.clone(),
                                message: "unexpected 304".into(),
                            }),
                        }),
                    Err(e) => Err(FetchError::Network {
                        url: p.url.clone(),
                        message: e.to_string(),
                    }),
                };
                (i, p, r)
            });
        }
        let mut out = Vec::new();
        while let Some(j) = set.join_next().await {
            if let Ok(r) = j {
                out.push(r);
            }
        }
        out.sort_by_key(|(i, _, _)| *i);
        out.into_iter().map(|(_, p, r)| (p, r)).collect()
    }

    /// The article of a fetched page: metadata (feed settings first, then the page, then
    /// the feed item) and text; the item's own summary when the page has none and the feed
    /// allows it.
    fn read_page(&self, p: &Pending, page: Page) -> Result<(DocumentMeta, String), String> {
        let feed = self.feeds.get(&p.feed_url);
        let decoded = frontline_ingest::decode_text(&page.bytes, page.charset.as_deref(), true);
        let html = frontline_ingest::read_html(&decoded.text, Some(page.url.as_str()));
        let mut meta = html.meta;
        meta.url = Some(p.url.clone());
        if let Some(f) = feed {
            if f.cfg.outlet.is_some() {
                meta.outlet.clone_from(&f.cfg.outlet);
            }
            if f.cfg.language.is_some() {
                meta.language.clone_from(&f.cfg.language);
            }
        }
        if meta.outlet.is_none() {
            meta.outlet = page.url.host_str().map(str::to_string);
        }
        if meta.title.is_none() {
            meta.title.clone_from(&p.title);
        }
        if meta.published_at.is_none() {
            meta.published_at = p
                .published
                .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                .map(|d| d.date_naive());
        }
        meta.origin = Some(Origin {
            format: "html".into(),
            path: Some(p.url.clone()),
            ..Default::default()
        });
        let mut text = html.text;
        if text.trim().is_empty() && feed.is_some_and(|f| f.cfg.fallback_to_summary) {
            if let Some(s) = &p.summary {
                text = frontline_ingest::read_html(s, None).text;
            }
        }
        if text.trim().is_empty() {
            return Err("no article text on the page".into());
        }
        Ok((meta, text))
    }

    async fn store_docs(
        &self,
        docs: Vec<(Pending, DocumentMeta, String, String)>,
    ) -> Result<Vec<Finished>, WatchError> {
        if docs.is_empty() {
            return Ok(Vec::new());
        }
        let extract = self.extract.clone();
        let store = self.store.clone();
        let (docs, outcomes) = tokio::task::spawn_blocking(move || {
            let batch: Vec<Extraction> = docs
                .iter()
                .map(|(_, m, t, _)| extract(m.clone(), t))
                .collect();
            let out = store.put_extractions(&batch);
            (docs, out)
        })
        .await
        .map_err(|e| WatchError::State(format!("the store task failed: {e}")))?;
        let outcomes = outcomes.map_err(|e| WatchError::Store(e.to_string()))?;
        let mut update = Update {
            documents: 0,
            events: 0,
            fused_created: 0,
            at: now(),
        };
        let mut finished = Vec::new();
        for ((p, _, _, hash), outcome) in docs.into_iter().zip(outcomes) {
            let (id, new) = match outcome {
                PutOutcome::New {
                    document_id,
                    events,
                    fused_created,
                    ..
                } => {
                    self.metrics
                        .count_document(events as u64, fused_created as u64);
                    self.metrics.count_item("stored");
                    if let Some(t) = p.published {
                        self.metrics.observe_lag((now() - t) as f64);
                    }
                    update.documents += 1;
                    update.events += events as u64;
                    update.fused_created += fused_created as u64;
                    (document_id, true)
                }
                PutOutcome::Known { document_id } => {
                    self.metrics.count_item("known");
                    (document_id, false)
                }
            };
            finished.push(Finished {
                url: p.url,
                state: "done",
                hash: Some(hash),
                document_id: Some(id),
                new_document: new,
                error: None,
            });
        }
        lock(&self.summary).documents += update.documents;
        if update.documents > 0 {
            let _ = self.updates.send(update);
        }
        Ok(finished)
    }
}

/// The decoded text of a fetched body.
fn page_text(page: &Page) -> String {
    frontline_ingest::decode_text(&page.bytes, page.charset.as_deref(), true).text
}

/// Bounds on following a sitemap index (from the `[watch]` settings).
#[derive(Debug, Clone, Copy)]
struct SitemapLimits {
    /// Child sitemaps fetched per poll.
    children: usize,
    /// Levels of index followed below the feed's own.
    depth: usize,
}

/// The `<urlset>` sitemaps below `index` when it is a sitemap index (none otherwise): child
/// sitemaps are fetched breadth first, newest `<lastmod>` first, on the index's own host only,
/// each address once (so a loop ends), at most `limits.children` of them and
/// `limits.depth` levels deep. A child that fails is skipped with a warning.
async fn sitemap_children(fetcher: &Fetcher, index: &Page, limits: SitemapLimits) -> Vec<Page> {
    let Some(first) = sitemap_index(&page_text(index), &index.url) else {
        return Vec::new();
    };
    let host = index.url.host_str().map(str::to_string);
    let mut seen: HashSet<String> = HashSet::from([canonical(&index.url)]);
    let mut queue: VecDeque<(Url, usize)> = first.into_iter().map(|c| (c.url, 1)).collect();
    let (mut fetched, mut out) = (0usize, Vec::new());
    while let Some((url, level)) = queue.pop_front() {
        if url.host_str().map(str::to_string) != host || !seen.insert(canonical(&url)) {
            continue;
        }
        if fetched >= limits.children {
            tracing::warn!(index = %index.url, limit = limits.children, "more child sitemaps than sitemap_children; the rest wait for later polls");
            break;
        }
        fetched += 1;
        let page = match fetcher.fetch(&url, &Default::default()).await {
            Ok(Fetched::Body(page)) => page,
            Ok(Fetched::NotModified) => continue,
            Err(e) => {
                tracing::warn!(index = %index.url, sitemap = %url, error = %e, "child sitemap not fetched");
                continue;
            }
        };
        match sitemap_index(&page_text(&page), &page.url) {
            None => out.push(page),
            Some(grandchildren) if level < limits.depth => {
                queue.extend(grandchildren.into_iter().map(|c| (c.url, level + 1)));
            }
            Some(_) => {
                tracing::warn!(sitemap = %url, depth = limits.depth, "a sitemap index deeper than sitemap_depth; not followed");
            }
        }
    }
    out
}

async fn sleep_or_stop(d: Duration, stop: &mut watch::Receiver<bool>) {
    tokio::select! {
        _ = tokio::time::sleep(d) => {}
        changed = stop.changed() => {
            // The sender is gone: nobody can ask for a stop any more; just wait.
            if changed.is_err() {
                tokio::time::sleep(d).await;
            }
        }
    }
}
