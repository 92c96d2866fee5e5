package storport.shell;

import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.Strictness;
import com.google.gson.ToNumberPolicy;

/** The commands' --json output, read with Gson (strict: anything but one valid JSON document fails; integers as Long). */
final class TestJson {
    private static final Gson GSON = new GsonBuilder().setStrictness(Strictness.STRICT).setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .create();

    private TestJson() {
    }

    static Object parse(String text) {
        return GSON.fromJson(text.strip(), Object.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(Object o) {
        return (List<Object>) o;
    }
}
