package storport.itest;

import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.Strictness;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;

/** The product's --json output and the console's answers, read with Gson (strict; integers as Long). */
final class Json {
    private static final Gson GSON = new GsonBuilder().setStrictness(Strictness.STRICT).setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .serializeNulls().create();

    private Json() {
    }

    static Object parse(String text) {
        return GSON.fromJson(text.trim(), Object.class);
    }

    static Map<String, Object> object(String text) {
        return GSON.fromJson(text.trim(), new TypeToken<Map<String, Object>>() { }.getType());
    }
}
