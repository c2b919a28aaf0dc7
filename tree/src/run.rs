//! One run over the tree: each rendered tenant compared with its places (and, when writing,
//! staged beside them), then the index, pruning and the journaled swap, all decided by the one
//! rule of the core (`zave::tree::compare`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, OnceLock, PoisonError};

use zave::flags::FlagSet;
use zave::index::{Half, Shard, flux_dir, index_files, legacy_index};
use zave::manifest::{RenderedFile, is_generated, tenant_folders};
use zave::render::persistence::pooler;
use zave::tree::{
    Change, Difference, Recorded, TenantPlaces, compare, recorded_flags, recorded_inputs,
    tenants_after,
};
use zave::{CheckedContract, Diagnostics, Profile, RenderInputs, Rendered};

use crate::TreeError;
use crate::dir::{Dir, Kind};
use crate::journal::{self, Step};
use crate::names::{JOURNAL, Names, Purpose, is_scratch};
use crate::root::{Access, Tree};

/// The largest file zave reads back from the tree; a longer one is simply "changed".
const READ_LIMIT: u64 = 16 << 20;

/// What CI gives a run beyond the contracts: images and versions by tenant name (a tenant
/// without one keeps what the tree records), the bundle, and strictness.
#[derive(Debug, Clone, Default)]
pub struct Given {
    /// Image references by tenant name.
    pub images: BTreeMap<String, String>,
    /// Version labels by tenant name.
    pub versions: BTreeMap<String, String>,
    /// The image of a run's only contract, given without its name.
    pub sole_image: Option<String>,
    /// The version of a run's only contract, given without its name.
    pub sole_version: Option<String>,
    /// Flag sets (`feature-flags`) by tenant name.
    pub flags: BTreeMap<String, FlagSet>,
    /// The flag set of a run's only contract, given without its name.
    pub sole_flags: Option<FlagSet>,
    /// The platform bundle.
    pub bundle: Option<String>,
    /// Warnings are errors.
    pub strict: bool,
}

impl Given {
    /// The image given for tenant `name`.
    pub fn image(&self, name: &str) -> Option<&str> {
        self.images
            .get(name)
            .or(self.sole_image.as_ref())
            .map(String::as_str)
    }

    /// The version given for tenant `name`.
    pub fn version(&self, name: &str) -> Option<&str> {
        self.versions
            .get(name)
            .or(self.sole_version.as_ref())
            .map(String::as_str)
    }

    /// The flag set given for tenant `name`.
    pub fn flags(&self, name: &str) -> Option<&FlagSet> {
        self.flags.get(name).or(self.sole_flags.as_ref())
    }

    /// A tenant an image, version or flag set is given for that is not among `rendered`.
    pub fn stray(&self, rendered: &BTreeSet<String>) -> Option<&str> {
        let named = self
            .images
            .keys()
            .chain(self.versions.keys())
            .chain(self.flags.keys());
        named
            .map(String::as_str)
            .find(|name| !rendered.contains(*name))
    }

    /// The render inputs of tenant `name`: what is given for it, else what the tree records.
    pub fn inputs<'a>(&'a self, name: &str, recorded: &'a Recorded) -> RenderInputs<'a> {
        RenderInputs {
            image: self.image(name).or(recorded.image.as_deref()),
            version: self.version(name).or(recorded.version.as_deref()),
            bundle: self.bundle.as_deref(),
            flags: self.flags(name).or(recorded.flags.as_ref()),
            strict: self.strict,
        }
    }
}

/// Why one tenant of a run failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The contract (with the inputs the tree records) does not render.
    #[error("the contract does not render")]
    Contract(Diagnostics),
    /// Another contract of the run has this name: the set is invalid.
    #[error("two contracts are named \"{0}\"")]
    Duplicate(String),
    /// The tree refused.
    #[error(transparent)]
    Tree(#[from] TreeError),
}

/// What a run found, or did: every difference, sorted by path, and the tenants after it.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Each path that differs (checking) or was changed (writing), with how.
    pub differences: Vec<Difference>,
    /// With [`Run::with_unified_diffs`], the unified diff of each difference, in step.
    pub unified: Vec<String>,
    /// How many zave tenants the tree holds after the run.
    pub tenants: usize,
}

/// One of the folders that hold tenants' places or the index.
#[derive(Debug)]
struct Slot {
    /// Its tree path.
    path: String,
    /// Opened once it exists (a run that writes makes it when it first stages into it).
    dir: OnceLock<Dir>,
}

/// Something staged beside its place, waiting to be swapped in.
#[derive(Debug)]
struct Staged {
    slot: SlotId,
    live: String,
    new: String,
    /// The staged folder's inode number; `None` for a staged file.
    folder: Option<u64>,
}

impl Slot {
    /// The slot at tree path `path`, opened when it exists.
    fn open(tree: &Tree, path: String) -> Result<Slot, TreeError> {
        let dir = OnceLock::new();
        if let Some(root) = tree.root() {
            if let Some(found) = root.open_path(&path, None)? {
                let _ = dir.set(found);
            }
        }
        Ok(Slot { path, dir })
    }
}

/// A slot by its position in [`Run::slots`]: the two tenant folders, the index root, the
/// pooler's folder, then each half's shard folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SlotId(usize);

impl SlotId {
    /// `platform/tenants`: the tenants' platform folders (and the legacy index).
    const PLATFORM: SlotId = SlotId(0);
    /// `tenants`: the tenants' workload folders.
    const WORKLOAD: SlotId = SlotId(1);
    /// `platform/flux`: the root and the shard objects, no tenant's.
    const INDEX_ROOT: SlotId = SlotId(2);
    /// `platform/pooler`: the set-level files of the platform's PgBouncer.
    const POOLER: SlotId = SlotId(3);

    /// Whether the slot holds one folder per tenant (else one file per tenant, or none).
    fn holds_folders(self) -> bool {
        self == SlotId::PLATFORM || self == SlotId::WORKLOAD
    }
}

/// The tree paths of every slot, in [`SlotId`] order.
fn slot_paths(prefix: &str) -> Vec<String> {
    let [platform, workload] = tenant_folders(prefix);
    let mut paths = vec![
        platform,
        workload,
        flux_dir(prefix),
        pooler::pooler_dir(prefix),
    ];
    for half in Half::ALL {
        paths.extend(Shard::all().map(|shard| half.shard_dir(prefix, shard)));
    }
    paths
}

#[derive(Debug, Default)]
struct State {
    tenants: BTreeSet<String>,
    /// The pooler entry file of each rendered tenant that has one, by name.
    pooler_entries: BTreeMap<String, String>,
    staged: Vec<Staged>,
    differences: Vec<(Difference, String)>,
    finished: bool,
}

/// A run over an opened tree: [`Run::sync`] each tenant (from any thread), then
/// [`Run::finish`]. Dropped unfinished, it removes what it staged: nothing in the tree moved.
#[derive(Debug)]
pub struct Run<'t> {
    tree: &'t Tree,
    profile: &'t Profile,
    prefix: &'t str,
    slots: Vec<Slot>,
    /// Each slot's position, by its tree path.
    slot_ids: BTreeMap<String, SlotId>,
    names: Names,
    unified: bool,
    state: Mutex<State>,
    /// Folders this run made, by tree path, in the order it made them.
    created: Mutex<Vec<String>>,
}

impl<'t> Run<'t> {
    /// Starts a run rendering under `profile` (whose path prefix places the tenants).
    /// Writing, it first finishes what an interrupted run's journal lists and clears what such
    /// a run left; checking, it reports those as leftovers.
    pub fn begin(tree: &'t Tree, profile: &'t Profile) -> Result<Run<'t>, TreeError> {
        let prefix = profile.spec.gitops.path_prefix.as_str();
        let write = tree.access() == Access::Write;
        let mut leftovers = Vec::new();
        if let Some(root) = tree.root() {
            if journal::exists(root)? {
                leftovers.push(JOURNAL.to_owned());
                if write {
                    journal::replay(root)?;
                }
            }
        }
        let paths = slot_paths(prefix);
        let slot_ids = paths
            .iter()
            .enumerate()
            .map(|(index, path)| (path.clone(), SlotId(index)))
            .collect();
        let slots = paths
            .into_iter()
            .map(|path| Slot::open(tree, path))
            .collect::<Result<Vec<_>, _>>()?;
        let scratch_in = tree
            .root()
            .into_iter()
            .chain(slots.iter().filter_map(|s| s.dir.get()));
        for dir in scratch_in {
            leftovers.extend(clear_scratch(dir, write)?);
        }
        let state = State {
            differences: leftovers
                .into_iter()
                .map(|path| {
                    let difference = Difference {
                        path,
                        change: Change::Leftover,
                    };
                    (difference, String::new())
                })
                .collect(),
            ..State::default()
        };
        Ok(Run {
            tree,
            profile,
            prefix,
            slots,
            slot_ids,
            names: Names::new()?,
            unified: false,
            state: Mutex::new(state),
            created: Mutex::default(),
        })
    }

    /// Also keeps a unified diff of every difference (for `zave diff --out`).
    pub fn with_unified_diffs(mut self) -> Run<'t> {
        self.unified = true;
        self
    }

    fn slot(&self, id: SlotId) -> &Slot {
        &self.slots[id.0]
    }

    /// The slot holding the file at tree path `path`, and the file's name in it.
    fn file_slot<'p>(&self, path: &'p str) -> Option<(SlotId, &'p str)> {
        let (folder, name) = path.rsplit_once('/')?;
        self.slot_ids.get(folder).map(|&id| (id, name))
    }

    /// The slots of the files a tenant owns in the index's shard folders, with the file names.
    fn shard_places(&self, name: &str) -> Vec<(SlotId, String)> {
        let places = TenantPlaces::of(self.prefix, name);
        [places.application, places.flux]
            .iter()
            .filter_map(|path| self.file_slot(path))
            .map(|(slot, file)| (slot, file.to_owned()))
            .collect()
    }

    /// The slot's folder, when it exists.
    fn dir(&self, id: SlotId) -> Option<&Dir> {
        self.slot(id).dir.get()
    }

    /// The slot's folder, made (and remembered as made) when missing.
    fn writable(&self, id: SlotId) -> Result<&Dir, TreeError> {
        let slot = self.slot(id);
        if let Some(dir) = slot.dir.get() {
            return Ok(dir);
        }
        let Some(root) = self.tree.root() else {
            return Err(TreeError::NotAFolder(slot.path.clone()));
        };
        let mut created = self.created.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(dir) = slot.dir.get() {
            return Ok(dir);
        }
        let made = root.open_path(&slot.path, Some(&mut created))?;
        if let Some(made) = made {
            let _ = slot.dir.set(made);
        }
        slot.dir
            .get()
            .ok_or_else(|| TreeError::NotAFolder(slot.path.clone()))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What the tree records of CI's inputs for tenant `name` (see
    /// [`zave::tree::recorded_inputs`]); nothing when it has no Deployment for it.
    fn recorded(&self, name: &str) -> Recorded {
        let deployment = format!("deployment-{name}.yaml");
        let Some(folder) = self
            .dir(SlotId::WORKLOAD)
            .and_then(|dir| dir.open_folder(name).ok().flatten())
        else {
            return Recorded::default();
        };
        let read = |file: &str| folder.read(file, READ_LIMIT).ok().flatten();
        let mut recorded = read(&deployment)
            .map(|bytes| recorded_inputs(name, &bytes))
            .unwrap_or_default();
        recorded.flags = recorded
            .flags_file
            .as_deref()
            .and_then(read)
            .and_then(|bytes| recorded_flags(&bytes));
        recorded
    }

    /// Renders a checked contract with CI's inputs (what `given` names for it, else what the
    /// tree records), compares it with the tree and, writing, stages it. Fails on a second
    /// contract of the same name, on a contract the recorded inputs do not fit, and on
    /// anything in its places that zave may not replace.
    pub fn sync(&self, checked: CheckedContract, given: &Given) -> Result<Rendered, SyncError> {
        let name = checked.name.clone();
        if !self.state().tenants.insert(name.clone()) {
            return Err(SyncError::Duplicate(name));
        }
        let recorded = if given.image(&name).is_none()
            || given.version(&name).is_none()
            || given.flags(&name).is_none()
        {
            self.recorded(&name)
        } else {
            Recorded::default()
        };
        let inputs = given.inputs(&name, &recorded);
        let rendered =
            zave::render_checked(checked, self.profile, inputs).map_err(SyncError::Contract)?;
        self.tenant(&rendered)?;
        Ok(rendered)
    }

    /// Compares one rendered tenant with its three places and stages what differs.
    fn tenant(&self, rendered: &Rendered) -> Result<(), TreeError> {
        let name = rendered.name.as_str();
        let places = TenantPlaces::of(self.prefix, name);
        let entry_path = pooler::entry_path(self.prefix, name);
        if let Some(entry) = rendered.files.iter().find(|file| file.path == entry_path) {
            self.state()
                .pooler_entries
                .insert(name.to_owned(), entry.content.clone());
        }
        let in_folder = |folder: &str| -> Vec<&RenderedFile> {
            rendered
                .files
                .iter()
                .filter(|file| {
                    file.path
                        .strip_prefix(folder)
                        .is_some_and(|rest| rest.starts_with('/'))
                })
                .collect()
        };
        let mut parts = vec![
            (
                SlotId::PLATFORM,
                name.to_owned(),
                in_folder(&places.platform),
                true,
            ),
            (
                SlotId::WORKLOAD,
                name.to_owned(),
                in_folder(&places.workload),
                true,
            ),
        ];
        for (slot, live) in self.shard_places(name) {
            let files: Vec<&RenderedFile> = rendered
                .files
                .iter()
                .filter(|file| self.file_slot(&file.path) == Some((slot, live.as_str())))
                .collect();
            parts.push((slot, live, files, false));
        }
        for (slot, live, files, folder) in parts {
            if files.is_empty() {
                continue;
            }
            let differs = if folder {
                self.compare_folder(slot, &live, &files)?
            } else {
                self.compare_file(slot, &live, files[0])?
            };
            if differs && self.tree.access() == Access::Write {
                self.stage(slot, &live, &files, folder)?;
            }
        }
        Ok(())
    }

    fn record(&self, path: &str, change: Change, old: &str, new: &str) {
        let unified = if self.unified {
            let (from, to) = match change {
                Change::Added => ("/dev/null".to_owned(), format!("render/{path}")),
                Change::Removed => (format!("disk/{path}"), "/dev/null".to_owned()),
                _ => (format!("disk/{path}"), format!("render/{path}")),
            };
            zave::diff::unified(old, new, &from, &to)
        } else {
            String::new()
        };
        let difference = Difference {
            path: path.to_owned(),
            change,
        };
        self.state().differences.push((difference, unified));
    }

    /// Compares `files` with the folder `live` of a slot; true when anything differs. Every
    /// entry there must be a file of zave's.
    fn compare_folder(
        &self,
        slot: SlotId,
        live: &str,
        files: &[&RenderedFile],
    ) -> Result<bool, TreeError> {
        let on_disk = match self.dir(slot) {
            Some(dir) => owned_files(dir, live)?,
            None => BTreeMap::new(),
        };
        let mut differs = false;
        let desired: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
        for file in files {
            let bytes = on_disk.get(&file.path).map(Vec::as_slice);
            if let Some(change) = compare(&file.content, bytes) {
                let old = bytes.map(String::from_utf8_lossy).unwrap_or_default();
                self.record(&file.path, change, &old, &file.content);
                differs = true;
            }
        }
        for (path, bytes) in &on_disk {
            if !desired.contains(path.as_str()) {
                self.record(path, Change::Removed, &String::from_utf8_lossy(bytes), "");
                differs = true;
            }
        }
        Ok(differs)
    }

    /// Compares `file` with the file `live` of a slot, which must be zave's if it exists.
    fn compare_file(
        &self,
        slot: SlotId,
        live: &str,
        file: &RenderedFile,
    ) -> Result<bool, TreeError> {
        let bytes = match self.dir(slot) {
            Some(dir) => owned_file(dir, live)?,
            None => None,
        };
        let change = compare(&file.content, bytes.as_deref());
        if let Some(change) = change {
            let old = bytes
                .as_deref()
                .map(String::from_utf8_lossy)
                .unwrap_or_default();
            self.record(&file.path, change, &old, &file.content);
        }
        Ok(change.is_some())
    }

    /// Writes `files` beside `live` under a fresh name: a folder of them, or the one file.
    fn stage(
        &self,
        slot: SlotId,
        live: &str,
        files: &[&RenderedFile],
        folder: bool,
    ) -> Result<(), TreeError> {
        let dir = self.writable(slot)?;
        dir.check_replaceable(live)?;
        let purpose = if folder {
            Purpose::New
        } else {
            Purpose::Temporary
        };
        let new = self.names.scratch(purpose, live);
        let record = |folder: Option<u64>| {
            self.state().staged.push(Staged {
                slot,
                live: live.to_owned(),
                new: new.clone(),
                folder,
            });
        };
        // Recorded as soon as it exists, so a failure midway still removes what was begun.
        if folder {
            let staged = dir.make_folder(&new)?;
            record(Some(staged.own_inode()?));
            for file in files {
                let file_name = file.path.rsplit('/').next().unwrap_or_default();
                staged.create_file(file_name, file.content.as_bytes())?;
            }
        } else {
            record(None);
            dir.create_file(&new, files[0].content.as_bytes())?;
        }
        Ok(())
    }

    /// The zave tenants in the tree that this run did not render: a name is one when its
    /// platform or workload folder holds zave's `kustomization.yaml`, or a shard folder holds
    /// its file with zave's header.
    fn others_on_disk(&self, rendered: &BTreeSet<String>) -> Result<BTreeSet<String>, TreeError> {
        let mut others = BTreeSet::new();
        for (index, slot) in self.slots.iter().enumerate() {
            let id = SlotId(index);
            let Some(dir) = slot.dir.get() else {
                continue;
            };
            if id == SlotId::INDEX_ROOT {
                continue;
            }
            let folders = id.holds_folders();
            for (entry, kind) in dir.entries()? {
                let name = match (folders, kind) {
                    (true, Kind::Folder) => entry.clone(),
                    (false, Kind::File) => match entry.strip_suffix(".yaml") {
                        Some(name) if name != "kustomization" => name.to_owned(),
                        _ => continue,
                    },
                    _ => continue,
                };
                if is_scratch(&entry) || rendered.contains(&name) || others.contains(&name) {
                    continue;
                }
                let header = if folders {
                    match dir.open_folder(&entry) {
                        Ok(Some(folder)) => folder.read("kustomization.yaml", 512),
                        _ => Ok(None),
                    }
                } else {
                    dir.read(&entry, 512)
                };
                if header
                    .ok()
                    .flatten()
                    .is_some_and(|bytes| is_generated(&bytes))
                {
                    others.insert(name);
                }
            }
        }
        Ok(others)
    }

    /// Compares one file of the index with its place and, writing, stages it.
    fn index_file(&self, file: &RenderedFile) -> Result<(), TreeError> {
        let Some((slot, live)) = self.file_slot(&file.path) else {
            return Err(TreeError::Outside(file.path.clone()));
        };
        if self.compare_file(slot, live, file)? && self.tree.access() == Access::Write {
            self.stage(slot, live, &[file], false)?;
        }
        Ok(())
    }

    /// Finishes the run: the index lists every zave tenant left after it, `prune` takes out
    /// the zave tenants the run did not render, and (writing) everything staged is swapped in
    /// under the journal. Nothing in the tree has changed if this fails before the journal.
    pub fn finish(self, given: &Given, prune: bool) -> Result<Outcome, TreeError> {
        let rendered = self.state().tenants.clone();
        if let Some(stray) = given.stray(&rendered) {
            return Err(TreeError::NotInRun(stray.to_owned()));
        }
        let others = self.others_on_disk(&rendered)?;
        let mut drops = Vec::new();
        if prune {
            for name in &others {
                drops.extend(self.prune(name)?);
            }
        }
        let after: Vec<String> = tenants_after(&others, &rendered, prune)
            .into_iter()
            .collect();
        let emitted = |error: zave::yaml::EmitError| {
            TreeError::io("", std::io::Error::other(error.to_string()))
        };
        for file in index_files(&after, self.profile).map_err(emitted)? {
            self.index_file(&file)?;
        }
        if self.has_legacy_index()? {
            self.index_file(&legacy_index(&after, self.prefix).map_err(emitted)?)?;
        }
        drops.extend(self.sync_pooler(&after)?);
        if self.tree.access() == Access::Write {
            self.swap(drops)?;
        }
        self.tree.keep();
        let mut state = self.state();
        state.finished = true;
        let mut differences = std::mem::take(&mut state.differences);
        differences.sort();
        let (differences, unified) = differences.into_iter().unzip();
        Ok(Outcome {
            differences,
            unified,
            tenants: after.len(),
        })
    }

    /// The set-level pooler files, gathered from the entry of every tenant left after the run:
    /// the rendered ones from this run, the others from their folders on disk. Compared and,
    /// writing, staged like the index. With no tenant left on a pooler, zave's pooler files
    /// are removed: returned as the steps that take them out.
    fn sync_pooler(&self, after: &[String]) -> Result<Vec<(SlotId, String)>, TreeError> {
        let rendered = self.state().pooler_entries.clone();
        let mut entries = Vec::new();
        for name in after {
            let path = pooler::entry_path(self.prefix, name);
            let bytes = match rendered.get(name) {
                Some(content) => Some(content.clone().into_bytes()),
                None => self
                    .dir(SlotId::PLATFORM)
                    .and_then(|dir| dir.open_folder(name).ok().flatten())
                    .and_then(|folder| {
                        let file_name = pooler::entry_file_name(name);
                        folder.read(&file_name, READ_LIMIT).ok().flatten()
                    }),
            };
            entries.extend(bytes.map(|bytes| (path, bytes)));
        }
        let files = pooler::gather(
            entries
                .iter()
                .map(|(path, bytes)| (path.as_str(), bytes.as_slice())),
            self.profile,
        )
        .map_err(|error| TreeError::io("", std::io::Error::other(error.to_string())))?;
        for file in &files {
            let file_name = file.path.rsplit('/').next().unwrap_or_default();
            if self.compare_file(SlotId::POOLER, file_name, file)?
                && self.tree.access() == Access::Write
            {
                self.stage(SlotId::POOLER, file_name, &[file], false)?;
            }
        }
        let mut drops = Vec::new();
        if let (true, Some(dir)) = (files.is_empty(), self.dir(SlotId::POOLER)) {
            for file_name in pooler::FILE_NAMES {
                if let Some(bytes) = owned_file(dir, file_name)? {
                    let path = dir.child_path(file_name);
                    self.record(&path, Change::Removed, &String::from_utf8_lossy(&bytes), "");
                    drops.push((SlotId::POOLER, file_name.to_owned()));
                }
            }
        }
        Ok(drops)
    }

    /// Whether the tree holds the index of the layout before shards (`platform/tenants/
    /// kustomization.yaml`, zave's): it is then kept listing every tenant folder, so the Flux
    /// Kustomization that still applies it never prunes a tenant (README, "Upgrading").
    fn has_legacy_index(&self) -> Result<bool, TreeError> {
        match self.dir(SlotId::PLATFORM) {
            Some(dir) => Ok(owned_file(dir, "kustomization.yaml")?.is_some()),
            None => Ok(false),
        }
    }

    /// Checks that tenant `name`'s places hold only zave's files, records them as removed,
    /// and returns the steps that take them out.
    fn prune(&self, name: &str) -> Result<Vec<(SlotId, String)>, TreeError> {
        let mut drops = Vec::new();
        let mut places = vec![
            (SlotId::PLATFORM, name.to_owned()),
            (SlotId::WORKLOAD, name.to_owned()),
        ];
        places.extend(self.shard_places(name));
        for (slot, live) in places {
            let Some(dir) = self.dir(slot) else {
                continue;
            };
            let found: Vec<(String, Vec<u8>)> = if !slot.holds_folders() {
                owned_file(dir, &live)?
                    .map(|bytes| (dir.child_path(&live), bytes))
                    .into_iter()
                    .collect()
            } else {
                owned_files(dir, &live)?.into_iter().collect()
            };
            if found.is_empty() {
                continue;
            }
            dir.check_replaceable(&live)?;
            for (path, bytes) in &found {
                self.record(path, Change::Removed, &String::from_utf8_lossy(bytes), "");
            }
            drops.push((slot, live));
        }
        Ok(drops)
    }

    /// Swaps every staged entry in and every pruned one out, under the journal, then removes
    /// what was swapped out.
    fn swap(&self, drops: Vec<(SlotId, String)>) -> Result<(), TreeError> {
        let Some(root) = self.tree.root() else {
            return Ok(());
        };
        let staged = std::mem::take(&mut self.state().staged);
        let mut steps = Vec::with_capacity(staged.len() + drops.len());
        let mut old = Vec::with_capacity(steps.capacity());
        for entry in &staged {
            let folder = self.slot(entry.slot).path.clone();
            let (live, new) = (entry.live.clone(), entry.new.clone());
            let step = match entry.folder {
                Some(staged) => {
                    let gone = self.names.scratch(Purpose::Old, &entry.live);
                    old.push((entry.slot, gone.clone(), true));
                    Step::Exchange {
                        folder,
                        live,
                        new,
                        old: gone,
                        staged,
                    }
                }
                None => Step::Replace { folder, live, new },
            };
            steps.push((entry.slot, step));
        }
        for (slot, live) in drops {
            let gone = self.names.scratch(Purpose::Old, &live);
            old.push((slot, gone.clone(), slot.holds_folders()));
            let folder = self.slot(slot).path.clone();
            steps.push((
                slot,
                Step::Drop {
                    folder,
                    live,
                    old: gone,
                },
            ));
        }
        if steps.is_empty() {
            return Ok(());
        }
        let listed: Vec<Step> = steps.iter().map(|(_, step)| step.clone()).collect();
        journal::write(root, &self.names, &listed)?;
        for (slot, step) in &steps {
            if let Some(dir) = self.dir(*slot) {
                step.apply(dir)?;
            }
        }
        journal::remove(root)?;
        for (slot, gone, folder) in old {
            if let Some(dir) = self.dir(slot) {
                if folder {
                    dir.remove_flat_folder(&gone)?;
                } else {
                    dir.remove_file(&gone)?;
                }
            }
        }
        Ok(())
    }
}

impl Drop for Run<'_> {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(PoisonError::into_inner);
        if state.finished {
            return;
        }
        for entry in std::mem::take(&mut state.staged) {
            if let Some(dir) = self.slots[entry.slot.0].dir.get() {
                // Best effort: what stays is a scratch entry the next run clears.
                let _ = if entry.folder.is_some() {
                    dir.remove_flat_folder(&entry.new)
                } else {
                    dir.remove_file(&entry.new)
                };
            }
        }
        let created = self
            .created
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(root) = self.tree.root() {
            for folder in created.iter().rev() {
                root.remove_empty_path(folder);
            }
        }
    }
}

/// The tree paths of the scratch entries an interrupted run left in `dir`, removed when
/// `remove`.
fn clear_scratch(dir: &Dir, remove: bool) -> Result<Vec<String>, TreeError> {
    let mut found = Vec::new();
    for (name, kind) in dir.entries()? {
        if !is_scratch(&name) {
            continue;
        }
        found.push(dir.child_path(&name));
        if remove {
            match kind {
                Kind::Folder => dir.remove_flat_folder(&name)?,
                _ => dir.remove_file(&name)?,
            }
        }
    }
    Ok(found)
}

/// The files of folder `name` in `dir`, by tree path, each checked to be zave's: a link, a
/// folder or a file without zave's header there is refused. Empty when there is no folder.
fn owned_files(dir: &Dir, name: &str) -> Result<BTreeMap<String, Vec<u8>>, TreeError> {
    let Some(folder) = dir.open_folder(name)? else {
        return Ok(BTreeMap::new());
    };
    let mut files = BTreeMap::new();
    for (entry, kind) in folder.entries()? {
        let path = folder.child_path(&entry);
        match kind {
            Kind::File => {}
            Kind::Link => return Err(TreeError::Link(path)),
            Kind::Folder | Kind::Other => return Err(TreeError::NotAFile(path)),
        }
        let bytes = folder.read(&entry, READ_LIMIT)?.unwrap_or_default();
        if !is_generated(&bytes) {
            return Err(TreeError::Foreign(path));
        }
        files.insert(path, bytes);
    }
    Ok(files)
}

/// The file `name` in `dir` when it exists, checked to be zave's.
fn owned_file(dir: &Dir, name: &str) -> Result<Option<Vec<u8>>, TreeError> {
    let bytes = dir.read(name, READ_LIMIT)?;
    if let Some(bytes) = &bytes {
        if !is_generated(bytes) {
            return Err(TreeError::Foreign(dir.child_path(name)));
        }
    }
    Ok(bytes)
}
