//! Every write of building projects, and what a viewer may see of one, once: the page and the API
//! handlers both call these.

use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::AppError;
use gongzhi_core::accounts::policy::{Act, Subject};
use gongzhi_core::projects::{ProjectsAction, Stage};
use gongzhi_core::voting::matter::Scope;
use gongzhi_store::projects::{NewProject, Project};

/// What the viewer may do with one project, from the policy table.
#[derive(Clone, Copy, Debug)]
pub struct Access {
    pub read: bool,
    pub shares: bool,
    pub consultation: bool,
    pub edit: bool,
}

/// The subject a project's scope is for the policy: its building, or the compound.
pub fn subject(scope: &Scope) -> Subject<'_> {
    match scope {
        Scope::Compound => Subject::Compound,
        Scope::Building(b) | Scope::Stairwell(b, _) => Subject::Building(b.as_str()),
    }
}

pub fn access(v: &Viewer, scope: &Scope) -> Access {
    let s = subject(scope);
    Access {
        read: v.may(ProjectsAction::ReadProjects, s),
        shares: v.may(ProjectsAction::ReadShares, s),
        consultation: v.may(ProjectsAction::ReadConsultation, s),
        edit: v.may(ProjectsAction::EditProjects, s),
    }
}

/// A project of the viewer's compound that they may take `action` on (another compound's is not
/// found).
pub async fn load<A: Act>(state: &AppState, v: &Viewer, id: &str, action: A) -> Result<(Project, Access), AppError> {
    let p = state.store.project(v.compound(), id).await?;
    v.require(action, subject(&p.scope))?;
    let a = access(v, &p.scope);
    Ok((p, a))
}

/// Starts a project: a building leader for their own building only, compound-wide ones the
/// committee's.
pub async fn create_project(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    np: &NewProject,
) -> Result<Project, AppError> {
    let scope = np.scope.clone().unwrap_or(Scope::Compound);
    v.acting(ProjectsAction::EditProjects, subject(&scope), csrf)?;
    Ok(state.store.create_project(v.compound(), np, v.actor()).await?)
}

/// Moves a project to a stage, if the stage's needs are met.
pub async fn move_stage(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    to: Stage,
) -> Result<Project, AppError> {
    v.check_csrf(csrf)?;
    load(state, v, id, ProjectsAction::EditProjects).await?;
    Ok(state.store.move_project(v.compound(), id, to, v.actor()).await?)
}
