package dev.creditspolicy.policy.facts;

public enum Feature {
    EDITOR_INLINE_CHAT, EDITOR_ASK, EDITOR_AGENT, QUEST_AGENT, QUEST_EXPERTS, KNOWLEDGE_REPOWIKI, KNOWLEDGE_CARD
}
