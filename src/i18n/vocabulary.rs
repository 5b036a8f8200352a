//! The domain's names (grades, categories, the questionnaire's answers) in
//! the page's language. The domain keeps its English names for the
//! refurbisher and operations areas, CSV files and logs.

use super::{Msg, Texts};
use crate::domain::catalog::Category;
use crate::domain::claims::{ClaimKind, ClaimState, Outcome};
use crate::domain::grade::Grade;
use crate::domain::payout::PayoutState;
use crate::domain::sla::{CounterReason, SuspendReason};
use crate::domain::tradein::{Action, State};

impl Texts {
    pub fn grade(self, grade: Grade) -> &'static str {
        self.get(match grade {
            Grade::FunctionalFlawless => Msg::GradeFunctionalFlawless,
            Grade::FunctionalGood => Msg::GradeFunctionalGood,
            Grade::FunctionalUsed => Msg::GradeFunctionalUsed,
            Grade::FunctionalCracked => Msg::GradeFunctionalCracked,
            Grade::NotFunctionalUsed => Msg::GradeNotFunctionalUsed,
            Grade::NotFunctionalCracked => Msg::GradeNotFunctionalCracked,
        })
    }

    pub fn category(self, category: Category) -> &'static str {
        self.get(match category {
            Category::Smartphones => Msg::CategorySmartphones,
            Category::Tablets => Msg::CategoryTablets,
            Category::Consoles => Msg::CategoryConsoles,
            Category::Laptops => Msg::CategoryLaptops,
            Category::Smartwatches => Msg::CategorySmartwatches,
        })
    }

    /// "Sell your smartphone": a whole sentence per category, since
    /// languages inflect the noun.
    pub fn sell_category(self, category: Category) -> &'static str {
        self.get(match category {
            Category::Smartphones => Msg::CategorySmartphonesSell,
            Category::Tablets => Msg::CategoryTabletsSell,
            Category::Consoles => Msg::CategoryConsolesSell,
            Category::Laptops => Msg::CategoryLaptopsSell,
            Category::Smartwatches => Msg::CategorySmartwatchesSell,
        })
    }

    pub fn which_brand(self, category: Category) -> &'static str {
        self.get(match category {
            Category::Smartphones => Msg::CategorySmartphonesWhichBrand,
            Category::Tablets => Msg::CategoryTabletsWhichBrand,
            Category::Consoles => Msg::CategoryConsolesWhichBrand,
            Category::Laptops => Msg::CategoryLaptopsWhichBrand,
            Category::Smartwatches => Msg::CategorySmartwatchesWhichBrand,
        })
    }

    /// "Sell your Apple smartphone".
    pub fn sell_brand(self, category: Category, brand: &str) -> String {
        let msg = match category {
            Category::Smartphones => Msg::CategorySmartphonesSellBrand,
            Category::Tablets => Msg::CategoryTabletsSellBrand,
            Category::Consoles => Msg::CategoryConsolesSellBrand,
            Category::Laptops => Msg::CategoryLaptopsSellBrand,
            Category::Smartwatches => Msg::CategorySmartwatchesSellBrand,
        };
        self.fill(msg, &[("brand", &brand)])
    }

    /// A questionnaire answer's label and explanation, by question and
    /// answer code (`domain::grading`); None for an unknown pair.
    pub fn choice(self, question: &str, code: &str) -> Option<(&'static str, &'static str)> {
        let (label, explained) = match (question, code) {
            ("works", "yes") => (Msg::ChoiceWorksYes, Msg::ChoiceWorksYesExplained),
            ("works", "no") => (Msg::ChoiceWorksNo, Msg::ChoiceWorksNoExplained),
            ("screen", "flawless") => (
                Msg::ChoiceScreenFlawless,
                Msg::ChoiceScreenFlawlessExplained,
            ),
            ("screen", "light_scratches") => (
                Msg::ChoiceScreenLightScratches,
                Msg::ChoiceScreenLightScratchesExplained,
            ),
            ("screen", "visible_wear") => (
                Msg::ChoiceScreenVisibleWear,
                Msg::ChoiceScreenVisibleWearExplained,
            ),
            ("screen", "cracked") => (Msg::ChoiceScreenCracked, Msg::ChoiceScreenCrackedExplained),
            ("body", "flawless") => (Msg::ChoiceBodyFlawless, Msg::ChoiceBodyFlawlessExplained),
            ("body", "light_scratches") => (
                Msg::ChoiceBodyLightScratches,
                Msg::ChoiceBodyLightScratchesExplained,
            ),
            ("body", "visible_wear") => (
                Msg::ChoiceBodyVisibleWear,
                Msg::ChoiceBodyVisibleWearExplained,
            ),
            ("body", "cracked") => (Msg::ChoiceBodyCracked, Msg::ChoiceBodyCrackedExplained),
            _ => return None,
        };
        Some((self.get(label), self.get(explained)))
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::domain::grading::{BODY_CHOICES, SCREEN_CHOICES, WORKS_CHOICES};
    use crate::domain::market::Market;

    #[test]
    fn every_answer_of_the_questionnaire_has_its_texts() {
        let en = Texts::of(Market::EnUs);
        for (question, choices) in [
            ("works", &WORKS_CHOICES[..]),
            ("screen", &SCREEN_CHOICES[..]),
            ("body", &BODY_CHOICES[..]),
        ] {
            for c in choices {
                // English's catalog says what the domain says.
                assert_eq!(en.choice(question, c.code), Some((c.label, c.explanation)));
            }
        }
        for g in Grade::ALL {
            assert_eq!(en.grade(g), g.label());
        }
        for c in Category::ALL {
            assert_eq!(en.category(c), c.name());
        }
        for s in State::ALL {
            assert_eq!(en.state(s), crate::domain::tradein::state_label(s));
        }
        for a in Action::ALL {
            assert_eq!(en.action(a), crate::domain::tradein::action_label(a));
        }
    }
}

/// A consumer's trade-in in the page's language: its state, the steps of
/// its timeline, why it is on hold, a counter-offer's reasons, its payment
/// and its claims.
impl Texts {
    /// "waiting to be shipped": what a trade-in is now, after "Status:".
    pub fn state(self, state: State) -> &'static str {
        self.get(match state {
            State::Created => Msg::StateCreated,
            State::LabelIssued => Msg::StateLabelIssued,
            State::Shipped => Msg::StateShipped,
            State::Received => Msg::StateReceived,
            State::Inspecting => Msg::StateInspecting,
            State::CounterOffered => Msg::StateCounterOffered,
            State::Validated => Msg::StateValidated,
            State::Paid => Msg::StatePaid,
            State::ReturnRequested => Msg::StateReturnRequested,
            State::Returned => Msg::StateReturned,
            State::Suspended => Msg::StateSuspended,
            State::Expired => Msg::StateExpired,
            State::Cancelled => Msg::StateCancelled,
            State::Lost => Msg::StateLost,
        })
    }

    /// "marked as shipped": what a refused move would have done, after
    /// "cannot be" (`refusal.not_allowed`).
    pub fn action(self, action: Action) -> &'static str {
        self.get(match action {
            Action::IssueLabel => Msg::ActionIssueLabel,
            Action::MarkShipped => Msg::ActionMarkShipped,
            Action::Cancel => Msg::ActionCancel,
            Action::Expire => Msg::ActionExpire,
            Action::Receive => Msg::ActionReceive,
            Action::StartInspection => Msg::ActionStartInspection,
            Action::Validate => Msg::ActionValidate,
            Action::CounterOffer => Msg::ActionCounterOffer,
            Action::AcceptCounterOffer | Action::DeclineCounterOffer => Msg::ActionAnswer,
            Action::CounterOfferTimeout => Msg::ActionCounterOfferTimeout,
            Action::Suspend => Msg::ActionSuspend,
            Action::ResumeInspection => Msg::ActionResumeInspection,
            Action::ReturnDevice => Msg::ActionReturnDevice,
            Action::ConfirmPayment => Msg::ActionConfirmPayment,
            Action::ReturnDelivered => Msg::ActionReturnDelivered,
            Action::DeclareLost => Msg::ActionDeclareLost,
            Action::Compensate => Msg::ActionCompensate,
            Action::OverruleCounterOffer => Msg::ActionOverruleCounterOffer,
        })
    }

    /// "Label issued": the timeline's line for reaching a state.
    pub fn step(self, state: State) -> &'static str {
        self.get(match state {
            State::Created => Msg::StepCreated,
            State::LabelIssued => Msg::StepLabelIssued,
            State::Shipped => Msg::StepShipped,
            State::Received => Msg::StepReceived,
            State::Inspecting => Msg::StepInspecting,
            State::CounterOffered => Msg::StepCounterOffered,
            State::Validated => Msg::StepValidated,
            State::Paid => Msg::StepPaid,
            State::ReturnRequested => Msg::StepReturnRequested,
            State::Returned => Msg::StepReturned,
            State::Suspended => Msg::StepSuspended,
            State::Expired => Msg::StepExpired,
            State::Cancelled => Msg::StepCancelled,
            State::Lost => Msg::StepLost,
        })
    }

    /// Why a trade-in is on hold, and what the consumer can do.
    pub fn on_hold(self, reason: SuspendReason) -> (&'static str, &'static str) {
        let (why, todo) = match reason {
            SuspendReason::ParcelEmpty => (Msg::HoldParcelEmpty, Msg::HoldTodoParcel),
            SuspendReason::ParcelDamaged => (Msg::HoldParcelDamaged, Msg::HoldTodoParcel),
            SuspendReason::WrongDevice => (Msg::HoldWrongDevice, Msg::HoldTodoDevice),
            SuspendReason::ImeiMismatch => (Msg::HoldImeiMismatch, Msg::HoldTodoDevice),
            SuspendReason::ActivationLockOn => {
                (Msg::HoldActivationLockOn, Msg::HoldTodoActivationLock)
            }
            SuspendReason::ImeiBlocklisted => (Msg::HoldImeiBlocklisted, Msg::HoldTodoBlocklisted),
        };
        (self.get(why), self.get(todo))
    }

    pub fn counter_reason(self, reason: CounterReason) -> &'static str {
        self.get(match reason {
            CounterReason::Functional => Msg::CounterReasonFunctional,
            CounterReason::Screen => Msg::CounterReasonScreen,
            CounterReason::Body => Msg::CounterReasonBody,
            CounterReason::Other => Msg::CounterReasonOther,
        })
    }

    pub fn payout_state(self, state: PayoutState) -> &'static str {
        self.get(match state {
            PayoutState::Pending => Msg::PayoutStatePending,
            PayoutState::Sent => Msg::PayoutStateSent,
            PayoutState::Settled => Msg::PayoutStateSettled,
        })
    }

    pub fn claim_kind(self, kind: ClaimKind) -> &'static str {
        self.get(match kind {
            ClaimKind::ParcelLost => Msg::ClaimKindParcelLost,
            ClaimKind::CounterOfferDisputed => Msg::ClaimKindCounterOfferDisputed,
            ClaimKind::PaymentMissing => Msg::ClaimKindPaymentMissing,
        })
    }

    pub fn claim_state(self, state: ClaimState) -> &'static str {
        self.get(match state {
            ClaimState::Open => Msg::ClaimStateOpen,
            ClaimState::Resolved => Msg::ClaimStateResolved,
        })
    }

    /// What operations decided on a claim.
    pub fn claim_outcome(self, outcome: Outcome) -> &'static str {
        self.get(match outcome {
            Outcome::Compensate => Msg::ClaimOutcomeCompensate,
            Outcome::PayOriginal => Msg::ClaimOutcomePayOriginal,
            Outcome::ReturnDevice => Msg::ClaimOutcomeReturnDevice,
            Outcome::PayNow => Msg::ClaimOutcomePayNow,
            Outcome::Refuse => Msg::ClaimOutcomeRefuse,
        })
    }
}
