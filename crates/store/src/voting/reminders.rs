//! Reminders to vote: one reminder to each person who votes for a unit on the roll that has not
//! voted, on each channel they chose (in-app, email outside their quiet hours), and one message to
//! each of the compound's group bots saying how many households in which buildings have not voted;
//! queued in the outbox with the audit entry that says who sent them; a person's reminders are
//! cancelled, unsent, the moment their unit votes (see [`crate::kit::outbox::cancel_vote_reminders`]).
//! Scheduled reminders are the outbox's deadlines: queued now, due later (see [`deadline`]).

use crate::accounts::channels::{channels_for, for_person, webhooks_in};
use crate::kit::audit::append;
use crate::kit::outbox::{Channel, Outgoing, VOTE_REMINDER, queue};
use crate::{Actor, Result, Store};
use gongzhi_core::MatterStatus;
use gongzhi_core::accounts::reach::Channels;
use gongzhi_core::voting::VotingRefusal;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// The days before a vote's window ends on which the scheduled reminders go.
pub const REMINDER_DAYS: [i64; 3] = [7, 3, 1];
const DAY: i64 = 86_400_000;

/// The kind of a group bot's message about a vote's turnout.
pub const VOTE_BOT: &str = "vote.bot";
/// The kind of the committee's digest of a vote's turnout (its text is written again, with the
/// turnout of that moment, when it is sent: see [`Store::vote_digest`]).
pub const VOTE_DIGEST: &str = "vote.digest";
/// The kind of a building leader's list of households to visit (written as it is sent).
pub const VOTE_LEADER: &str = "vote.leader";
/// A scheduled digest's text until it is sent.
const DIGEST_LATER: &str = "（发送时写入当时的投票进展）";

/// The committee's members (the director among them) and how each is reached.
async fn committee(conn: &mut AnyConnection, compound: &str) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT DISTINCT account_id FROM account_roles WHERE compound_id = $1 \
         AND role IN ('committee-member', 'committee-director') ORDER BY account_id",
    )
    .bind(compound)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// The digest's text from a turnout: subject and body.
fn digest_text(title: &str, ends: &str, tu: &gongzhi_core::voting::turnout::Turnout) -> (String, String) {
    let state = if tu.met {
        "两个三分之二的参与门槛都已达到".to_string()
    } else {
        format!(
            "距参与门槛还差 {} 户、{} 平方米；按待走访名单，再走访 {} 户可以达到",
            tu.missing_owners,
            tu.missing_area.readable_up(),
            tu.visits_to_threshold
        )
    };
    let until = if ends.is_empty() { String::new() } else { format!("投票到 {ends} 24:00 截止。") };
    (
        format!("“{title}”投票进展"),
        format!(
            "已参与 {} 户（共 {} 户），{} 平方米（共 {} 平方米）；{state}。{until}",
            tu.participating_owners,
            tu.eligible_owners,
            tu.participating_area.readable(),
            tu.eligible_area.readable()
        ),
    )
}

/// Who votes for a unit on the roll that has not voted: account → its units, in order.
async fn owed(conn: &mut AnyConnection, compound: &str, matter: &str) -> Result<BTreeMap<String, Vec<String>>> {
    let rows = sqlx::query(
        "SELECT au.account_id, au.unit_no FROM account_units au \
         JOIN roll_entries r ON r.compound_id = au.compound_id AND r.matter_id = $2 AND r.unit_no = au.unit_no \
         LEFT JOIN ballots b ON b.compound_id = au.compound_id AND b.matter_id = $2 AND b.unit_no = au.unit_no \
         WHERE au.compound_id = $1 AND au.voter = 1 AND b.unit_no IS NULL ORDER BY au.account_id, au.unit_no",
    )
    .bind(compound)
    .bind(matter)
    .fetch_all(&mut *conn)
    .await?;
    let mut owed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &rows {
        owed.entry(r.get(0)).or_default().push(r.get(1));
    }
    Ok(owed)
}

/// The units on the roll that have not voted, per building (in the register's order).
async fn not_voted_by_building(conn: &mut AnyConnection, compound: &str, matter: &str) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT u.building_no, COUNT(*) FROM roll_entries r \
         JOIN units u ON u.compound_id = r.compound_id AND u.unit_no = r.unit_no \
         LEFT JOIN ballots b ON b.compound_id = r.compound_id AND b.matter_id = r.matter_id AND b.unit_no = r.unit_no \
         WHERE r.compound_id = $1 AND r.matter_id = $2 AND b.unit_no IS NULL GROUP BY u.building_no \
         ORDER BY LENGTH(u.building_no), u.building_no",
    )
    .bind(compound)
    .bind(matter)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

fn when(ends: &str, days_left: Option<i64>) -> String {
    match (ends.is_empty(), days_left) {
        (true, _) => "正在进行".to_string(),
        (false, Some(d)) => format!("还有 {d} 天，到 {ends} 24:00 截止"),
        (false, None) => format!("到 {ends} 24:00 截止"),
    }
}

/// A group's message: how many households in which buildings have not voted (never which);
/// None when everyone has.
fn bot_text(title: &str, when: &str, buildings: &[(String, i64)]) -> Option<String> {
    let left: i64 = buildings.iter().map(|(_, n)| n).sum();
    (left > 0).then(|| {
        let per: Vec<String> = buildings.iter().map(|(b, n)| format!("{b}号楼 {n} 户")).collect();
        format!(
            "“{title}”的投票{when}，还有 {left} 户没有投票（{}）。还没投票的邻居请在网上投票，或向居委会领取纸质表决票。",
            per.join("，")
        )
    })
}

/// What is sent for one vote at one moment.
struct Round<'a> {
    title: &'a str,
    matter: &'a str,
    ends: &'a str,
    days_left: Option<i64>,
    due_at: i64,
    /// The scheduled round's dedupe prefix (`sched:MATTER:DUE`); None for a reminder now.
    key: Option<String>,
}

/// The messages of one round: each owed person on their channels, each bot once. Returns them
/// and how many people they reach.
fn fan_out(
    round: &Round<'_>,
    owed: &BTreeMap<String, Vec<String>>,
    channels: &BTreeMap<String, Channels>,
    bots: &[gongzhi_core::accounts::reach::Webhook],
    buildings: &[(String, i64)],
    watchers: &Watchers,
) -> (Vec<Outgoing>, usize) {
    let subject = format!("请为“{}”投票", round.title);
    let when = when(round.ends, round.days_left);
    let key = |who: &str| round.key.as_ref().map(|k| format!("{k}:{who}"));
    let mut msgs = Vec::new();
    let mut reached = 0;
    for (account, units) in owed {
        let body = format!(
            "“{}”的投票{when}。您家 {} 还没有投票，可在网上投票，也可向居委会领取纸质表决票。",
            round.title,
            units.join("、")
        );
        let base = Outgoing {
            channel: Channel::InApp,
            recipient: account.clone(),
            kind: VOTE_REMINDER.into(),
            subject: subject.clone(),
            body,
            dedupe: key(account),
            about: Some(round.matter.to_string()),
            due_at: round.due_at,
            person: Some(account.clone()),
        };
        let one = for_person(base, &channels.get(account).cloned().unwrap_or_default());
        reached += usize::from(!one.is_empty());
        msgs.extend(one);
    }
    // the committee's digest: its text is written again when it is sent
    for (member, c) in &watchers.committee {
        let base = Outgoing {
            channel: Channel::InApp,
            recipient: member.clone(),
            kind: VOTE_DIGEST.into(),
            subject: format!("“{}”投票进展", round.title),
            body: watchers.digest_body.clone(),
            dedupe: key(&format!("digest:{member}")),
            about: Some(round.matter.to_string()),
            due_at: round.due_at,
            person: Some(member.clone()),
        };
        msgs.extend(for_person(base, c));
    }
    // each building leader: their building's households to visit, in order (written as sent)
    for (leader, c) in &watchers.leaders {
        let base = Outgoing {
            channel: Channel::InApp,
            recipient: leader.clone(),
            kind: VOTE_LEADER.into(),
            subject: format!("“{}”：本楼待走访名单", round.title),
            body: DIGEST_LATER.into(),
            dedupe: key(&format!("leader:{leader}")),
            about: Some(round.matter.to_string()),
            due_at: round.due_at,
            person: Some(leader.clone()),
        };
        msgs.extend(for_person(base, c));
    }
    if let Some(body) = bot_text(round.title, &when, buildings) {
        for bot in bots {
            msgs.push(Outgoing {
                channel: Channel::Webhook,
                recipient: bot.name.clone(),
                kind: VOTE_BOT.into(),
                subject: subject.clone(),
                body: body.clone(),
                dedupe: round.key.as_ref().map(|k| format!("{k}:bot:{}", bot.name)),
                about: Some(round.matter.to_string()),
                due_at: round.due_at,
                person: None,
            });
        }
    }
    (msgs, reached)
}

/// Who follows a vote besides its voters: the committee (a digest of turnout) and the leaders of
/// the buildings on its roll (their households to visit), with their channels.
struct Watchers {
    committee: Vec<(String, Channels)>,
    leaders: Vec<(String, Channels)>,
    digest_body: String,
}

async fn watchers(conn: &mut AnyConnection, compound: &str, matter: &str, digest_body: &str) -> Result<Watchers> {
    let members = committee(conn, compound).await?;
    let leaders: Vec<String> = sqlx::query(
        "SELECT DISTINCT ar.account_id FROM account_roles ar \
         JOIN account_units au ON au.compound_id = ar.compound_id AND au.account_id = ar.account_id \
         JOIN units u ON u.compound_id = au.compound_id AND u.unit_no = au.unit_no \
         WHERE ar.compound_id = $1 AND ar.role = 'building-leader' AND u.building_no IN \
           (SELECT u2.building_no FROM roll_entries r JOIN units u2 ON u2.compound_id = r.compound_id \
            AND u2.unit_no = r.unit_no WHERE r.compound_id = $1 AND r.matter_id = $2) \
         ORDER BY ar.account_id",
    )
    .bind(compound)
    .bind(matter)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.get(0))
    .collect();
    let all: Vec<String> = members.iter().chain(&leaders).cloned().collect();
    let channels = channels_for(conn, &all).await?;
    let with = |v: Vec<String>| -> Vec<(String, Channels)> {
        v.into_iter()
            .map(|p| {
                let c = channels.get(&p).cloned().unwrap_or_default();
                (p, c)
            })
            .collect()
    };
    Ok(Watchers { committee: with(members), leaders: with(leaders), digest_body: digest_body.to_string() })
}

/// Cancels the scheduled messages of a kind about something not yet sent (its deadline moved),
/// inside the caller's transaction.
pub(crate) async fn cancel_scheduled(conn: &mut AnyConnection, compound: &str, about: &str) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'cancelled' WHERE compound_id = $1 AND about = $2 \
         AND status = 'queued' AND dedupe LIKE 'sched:%'",
    )
    .bind(compound)
    .bind(about)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Cancels every reminder about a vote not yet sent (it closed), inside the caller's transaction.
pub(crate) async fn cancel_unsent(conn: &mut AnyConnection, compound: &str, matter: &str) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'cancelled', claimed_by = NULL, lease_until = NULL \
         WHERE compound_id = $1 AND about = $2 AND status IN ('queued', 'sending') AND kind IN ($3, $4, $5, $6)",
    )
    .bind(compound)
    .bind(matter)
    .bind(VOTE_REMINDER)
    .bind(VOTE_BOT)
    .bind(VOTE_DIGEST)
    .bind(VOTE_LEADER)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Schedules, inside the caller's transaction (opening the vote, or extending its window), the
/// announcement that voting has opened (`announce`, on opening) and the reminders of each of [`REMINDER_DAYS`] before the window ends that is still ahead; reminders
/// scheduled before for an earlier end are cancelled. Who is owed a reminder is decided now; a
/// unit that votes meanwhile has its reminders cancelled.
pub(crate) async fn schedule_vote_reminders(
    conn: &mut AnyConnection,
    compound: &str,
    matter: &str,
    title: &str,
    window_end: Option<i64>,
    now: i64,
    announce: bool,
) -> Result<usize> {
    cancel_scheduled(conn, compound, matter).await?;
    if window_end.is_none() && !announce {
        return Ok(0);
    }
    let owed = owed(conn, compound, matter).await?;
    let people: Vec<String> = owed.keys().cloned().collect();
    let channels = channels_for(conn, &people).await?;
    let bots = webhooks_in(conn, compound).await?;
    let buildings = not_voted_by_building(conn, compound, matter).await?;
    let watchers = watchers(conn, compound, matter, DIGEST_LATER).await?;
    let ends = window_end.map(gongzhi_core::time::date).unwrap_or_default();
    let mut msgs = Vec::new();
    if announce {
        // voting has opened: everyone on the roll hears it now
        let round = Round {
            title,
            matter,
            ends: &ends,
            days_left: None,
            due_at: now,
            key: Some(format!("sched:{matter}:open")),
        };
        msgs.extend(fan_out(&round, &owed, &channels, &bots, &buildings, &watchers).0);
    }
    let end = window_end.unwrap_or(now);
    for d in REMINDER_DAYS {
        let due = end - d * DAY;
        if due <= now {
            continue;
        }
        let round = Round {
            title,
            matter,
            ends: &ends,
            days_left: Some(d),
            due_at: due,
            key: Some(format!("sched:{matter}:{due}")),
        };
        msgs.extend(fan_out(&round, &owed, &channels, &bots, &buildings, &watchers).0);
    }
    Ok(queue(conn, compound, &msgs, now).await?.len())
}

/// A unit on a vote's roll that has not voted and that no channel reaches: its voter has no
/// account, or chose no channel. It gets a paper notice or a visit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreached {
    pub unit: String,
    pub building: String,
    /// The voter's name when they have an account (else the register's owner).
    pub name: String,
    /// Whether anyone votes for it with an account at all.
    pub has_account: bool,
}

impl Store {
    /// Queues, now, one reminder to each person who votes for a unit on `matter`'s roll that has
    /// not voted and has a channel (on each of their channels), and one message to each group
    /// bot; returns how many people it reaches. Only while voting is open and its window runs.
    pub async fn queue_vote_reminders(
        &self,
        compound: &str,
        matter: &str,
        actor: Actor<'_>,
        now: i64,
    ) -> Result<usize> {
        let m = self.matter(compound, matter).await?;
        if m.status != MatterStatus::Open {
            return VotingRefusal::NotOpenForVoting { matter: m.title, status: m.status }.err();
        }
        if let Some(end) = m.window_end.filter(|e| *e < now) {
            return VotingRefusal::WindowEnded { matter: m.title, ended: gongzhi_core::time::date(end) }.err();
        }
        let (_, digest_body) = self.vote_digest(compound, matter).await?;
        let mut tx = self.begin_write().await?;
        let owed = owed(&mut tx, compound, matter).await?;
        let people: Vec<String> = owed.keys().cloned().collect();
        let channels = channels_for(&mut tx, &people).await?;
        let bots = webhooks_in(&mut tx, compound).await?;
        let buildings = not_voted_by_building(&mut tx, compound, matter).await?;
        let watchers = watchers(&mut tx, compound, matter, &digest_body).await?;
        let ends = m.window_end.map(gongzhi_core::time::date).unwrap_or_default();
        let round = Round { title: &m.title, matter, ends: &ends, days_left: None, due_at: now, key: None };
        let (msgs, reached) = fan_out(&round, &owed, &channels, &bots, &buildings, &watchers);
        let ids = queue(&mut tx, compound, &msgs, now).await?;
        append(
            &mut tx,
            compound,
            actor.login,
            "matter.remind",
            matter,
            &format!("people={reached} messages={}", ids.len()),
        )
        .await?;
        tx.commit().await?;
        Ok(reached)
    }

    /// The committee's digest of a vote's turnout as it stands now: subject and body.
    pub async fn vote_digest(&self, compound: &str, matter: &str) -> Result<(String, String)> {
        let m = self.matter(compound, matter).await?;
        let roll = self.roll(compound, matter).await?;
        let voted: Vec<gongzhi_core::UnitNo> =
            self.voted_units(compound, matter).await?.iter().filter_map(|u| gongzhi_core::UnitNo::parse(u)).collect();
        let set: std::collections::HashSet<&gongzhi_core::UnitNo> = voted.iter().collect();
        let tu = gongzhi_core::voting::turnout::turnout(&roll, &set);
        let ends = m.window_end.map(gongzhi_core::time::date).unwrap_or_default();
        Ok(digest_text(&m.title, &ends, &tu))
    }

    /// A group bot's message about a vote as it stands now: subject and body.
    pub async fn bot_message(&self, compound: &str, matter: &str) -> Result<(String, String)> {
        let m = self.matter(compound, matter).await?;
        let mut conn = self.pool.acquire().await?;
        let buildings = not_voted_by_building(&mut conn, compound, matter).await?;
        let ends = m.window_end.map(gongzhi_core::time::date).unwrap_or_default();
        let body = bot_text(&m.title, &when(&ends, None), &buildings)
            .unwrap_or_else(|| format!("“{}”：所有住户都已投票，谢谢大家。", m.title));
        Ok((format!("请为“{}”投票", m.title), body))
    }

    /// A building leader's list as it stands now: the households of their buildings who have not
    /// voted, in the order that reaches both thresholds with the fewest visits. Subject and body.
    pub async fn leader_visits(&self, compound: &str, matter: &str, leader: &str) -> Result<(String, String)> {
        let m = self.matter(compound, matter).await?;
        let roll = self.roll(compound, matter).await?;
        let voted: Vec<gongzhi_core::UnitNo> =
            self.voted_units(compound, matter).await?.iter().filter_map(|u| gongzhi_core::UnitNo::parse(u)).collect();
        let set: std::collections::HashSet<&gongzhi_core::UnitNo> = voted.iter().collect();
        let tu = gongzhi_core::voting::turnout::turnout(&roll, &set);
        let buildings: std::collections::BTreeSet<String> = sqlx::query_scalar(
            "SELECT u.building_no FROM account_units au JOIN units u ON u.compound_id = au.compound_id \
             AND u.unit_no = au.unit_no WHERE au.compound_id = $1 AND au.account_id = $2",
        )
        .bind(compound)
        .bind(leader)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .collect();
        let mine: Vec<&gongzhi_core::voting::turnout::Visit> =
            tu.to_visit.iter().filter(|v| buildings.contains(&v.building)).collect();
        let first: Vec<String> = mine
            .iter()
            .take(10)
            .map(|v| {
                format!("{}. {}", v.priority, v.units.iter().map(|u| u.to_string()).collect::<Vec<_>>().join("、"))
            })
            .collect();
        let body = if mine.is_empty() {
            "本楼的住户都已投票。".to_string()
        } else {
            format!(
                "本楼还有 {} 户没有投票。按全小区的走访顺序（序号越小越先走访；全小区再走访 {} 户即可达到参与门槛）：{}。完整名单见 /matters/{matter}/turnout。",
                mine.len(),
                tu.visits_to_threshold,
                first.join("；")
            )
        };
        Ok((format!("“{}”：本楼待走访名单", m.title), body))
    }

    /// The units on `matter`'s roll that have not voted and that no channel reaches, in the
    /// register's order: the committee prints a paper notice or a building leader visits.
    pub async fn unreached_voters(&self, compound: &str, matter: &str) -> Result<Vec<Unreached>> {
        let rows = sqlx::query(
            "SELECT u.unit_no, u.building_no, COALESCE(p.name, o.name), p.id, p.email, p.notify_in_app, \
             p.notify_email, p.quiet_from, p.quiet_to FROM roll_entries r \
             JOIN units u ON u.compound_id = r.compound_id AND u.unit_no = r.unit_no \
             JOIN owners o ON o.compound_id = u.compound_id AND o.id = u.owner_id \
             LEFT JOIN ballots b ON b.compound_id = r.compound_id AND b.matter_id = r.matter_id AND b.unit_no = r.unit_no \
             LEFT JOIN account_units au ON au.compound_id = r.compound_id AND au.unit_no = r.unit_no AND au.voter = 1 \
             LEFT JOIN people p ON p.id = au.account_id \
             WHERE r.compound_id = $1 AND r.matter_id = $2 AND b.unit_no IS NULL \
             ORDER BY LENGTH(u.building_no), u.building_no, LENGTH(u.unit_no), u.unit_no",
        )
        .bind(compound)
        .bind(matter)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                let has_account = r.get::<Option<String>, _>(3).is_some();
                let c = Channels {
                    email: r.get(4),
                    in_app: r.get::<Option<i64>, _>(5) == Some(1),
                    by_email: r.get::<Option<i64>, _>(6) == Some(1),
                    quiet: None,
                };
                (!has_account || !c.reachable()).then(|| Unreached {
                    unit: r.get(0),
                    building: r.get(1),
                    name: r.get(2),
                    has_account,
                })
            })
            .collect())
    }
}
