package storport.api;

/** Windows {@code KINTERRUPT_MODE}: message-signaled interrupts are latched (edge). */
public enum InterruptMode {
    LEVEL_SENSITIVE, LATCHED
}
