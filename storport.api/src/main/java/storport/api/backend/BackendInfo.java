package storport.api.backend;

/**
 * A backend as {@link Backends} knows it.
 *
 * @param name      the {@value StorPort#BACKEND} service property, e.g. {@code sim}
 * @param available whether it is registered and can answer now
 * @param reason    why it is unavailable, or the empty string
 * @param active    whether consumers are bound to it now
 * @param preferred whether it is the persisted choice
 */
public record BackendInfo(String name, boolean available, String reason, boolean active, boolean preferred) {
}
